package org.phicourier.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phicourier.interop.Fixture.BUCKET;

import java.io.InputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.interop.Fixture.Kind;
import org.phicourier.s3.S3ObjectReader;

/**
 * Each tamper case of the envelope format is rejected by PHI Courier's reader with an
 * {@link IntegrityException} that names the object key and the failed check, before any
 * plaintext is returned.
 */
class TamperIT {
    /** The cases of the format notes, with the object they start from and the check named. */
    enum Case {
        FLIPPED_COMMITMENT(Kind.AES, EnvelopeVersion.V3, false,
                o -> o.flipEntry("x-amz-d"), "key commitment check failed"),
        FLIPPED_MESSAGE_ID(Kind.AES, EnvelopeVersion.V3, false,
                o -> o.flipEntry("x-amz-i"), "key commitment check failed"),
        FLIPPED_WRAPPED_KEY_AES(Kind.AES, EnvelopeVersion.V3, false,
                o -> o.flipEntry("x-amz-3"), "cannot be unwrapped"),
        FLIPPED_WRAPPED_KEY_KMS(Kind.KMS, EnvelopeVersion.V3, false,
                o -> o.flipEntry("x-amz-3"), "KMS rejected the wrapped data key"),
        FLIPPED_WRAPPED_KEY_IN_INSTRUCTION_FILE(Kind.RSA, EnvelopeVersion.V3, true,
                o -> o.flipEntry("x-amz-3"), "cannot be unwrapped"),
        FLIPPED_BODY(Kind.AES, EnvelopeVersion.V3, false,
                o -> o.body[o.body.length / 2] ^= 1, "authentication tag check failed"),
        FLIPPED_TAG(Kind.AES, EnvelopeVersion.V3, false,
                o -> o.body[o.body.length - 1] ^= 1, "authentication tag check failed"),
        FLIPPED_V2_BODY(Kind.AES, EnvelopeVersion.V2, false,
                o -> o.body[0] ^= 1, "authentication tag check failed"),
        COMMITMENT_IN_INSTRUCTION_FILE(Kind.AES, EnvelopeVersion.V3, true,
                o -> o.instructionFile.put("x-amz-d", o.metadata.get("x-amz-d")),
                "instruction file check"),
        SUITE_IN_INSTRUCTION_FILE(Kind.AES, EnvelopeVersion.V3, true,
                o -> o.instructionFile.put("x-amz-c", "115"), "instruction file check"),
        MESSAGE_ID_IN_INSTRUCTION_FILE(Kind.AES, EnvelopeVersion.V3, true,
                o -> o.instructionFile.put("x-amz-i", o.metadata.get("x-amz-i")),
                "instruction file check"),
        V2_AND_V3_KEYS(Kind.AES, EnvelopeVersion.V3, false,
                o -> o.metadata.put("x-amz-key-v2", o.metadata.get("x-amz-3")), "format check"),
        CHANGED_CEK_ALG(Kind.AES, EnvelopeVersion.V2, false,
                o -> o.metadata.put("x-amz-cek-alg", "AES/CBC/PKCS5Padding"),
                "content algorithm check"),
        TAG_LENGTH_96(Kind.AES, EnvelopeVersion.V2, false,
                o -> o.metadata.put("x-amz-tag-len", "96"), "tag length check"),
        KMS_CONTEXT_CHANGED(Kind.KMS, EnvelopeVersion.V3, false,
                o -> o.metadata.put("x-amz-t", o.metadata.get("x-amz-t")
                        .replace("tampered/", "elsewhere/")), "encryption context check"),
        KMS_CONTEXT_MISSING(Kind.KMS, EnvelopeVersion.V3, false,
                o -> o.metadata.remove("x-amz-t"), "encryption context check"),
        KMS_V2_CONTEXT_MISSING(Kind.KMS, EnvelopeVersion.V2, false,
                o -> o.metadata.remove("x-amz-matdesc"), "encryption context check"),
        PLAIN_OBJECT(Kind.AES, EnvelopeVersion.V3, false,
                o -> o.metadata.clear(), "not encrypted");

        final Kind kind;
        final EnvelopeVersion version;
        final boolean instructionFile;
        final Consumer<StoredObject> tamper;
        final String check;

        Case(Kind kind, EnvelopeVersion version, boolean instructionFile,
                Consumer<StoredObject> tamper, String check) {
            this.kind = kind;
            this.version = version;
            this.instructionFile = instructionFile;
            this.tamper = tamper;
            this.check = check;
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void openContent_tamperedObject_failsNamingKeyAndCheck(Case tamper) {
        String key = "tampered/" + tamper;
        Fixture.put(Fixture.writer(tamper.kind, tamper.version, tamper.instructionFile), key,
                Fixture.bytes(5000, 11));
        StoredObject stored = StoredObject.load(key);
        tamper.tamper.accept(stored);
        stored.store(key);

        assertThatThrownBy(() -> reader(tamper.kind).openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("'" + key + "'").hasMessageContaining(tamper.check);
    }

    @Test
    void openContent_changedCekAlgWithLegacyAllowed_failsToUnwrap() {
        String key = "tampered/cek-alg-legacy-allowed";
        Fixture.put(Fixture.writer(Kind.AES, EnvelopeVersion.V2, false), key,
                Fixture.bytes(64, 1));
        StoredObject stored = StoredObject.load(key);
        stored.metadata.put("x-amz-cek-alg", "AES/CBC/PKCS5Padding");
        stored.metadata.put("x-amz-iv", java.util.Base64.getEncoder().encodeToString(
                new byte[16]));
        stored.store(key);

        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES))
                .commitmentPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING)
                .allowLegacyContent(true).build().openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("cannot be unwrapped");
    }

    @Test
    void openContent_v2ObjectUnderRequireCommitment_isRefused() {
        String key = Fixture.put(Fixture.writer(Kind.AES, EnvelopeVersion.V2, false),
                "tampered/v2-under-require", Fixture.bytes(64, 1));

        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES)).build()
                .openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("commitment policy check");
    }

    @Test
    void openContent_copiedKmsObject_failsTheContextCheck() {
        String key = Fixture.put(Fixture.writer(Kind.KMS, EnvelopeVersion.V3, false),
                "tampered/original", Fixture.bytes(64, 1));
        Fixture.S3.copyObject(r -> r.sourceBucket(BUCKET).sourceKey(key)
                .destinationBucket(BUCKET).destinationKey("tampered/copy"));

        assertThatThrownBy(() -> reader(Kind.KMS).openContent(BUCKET, "tampered/copy"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("tampered/copy")
                .hasMessageContaining("encryption context check");
    }

    @Test
    void delayedAuthentication_flippedBody_failsAtTheEndOfTheStream() throws Exception {
        String key = "tampered/delayed";
        Fixture.put(Fixture.writer(Kind.AES, EnvelopeVersion.V3, false), key,
                Fixture.bytes(200_000, 2));
        StoredObject stored = StoredObject.load(key);
        stored.body[10] ^= 1;
        stored.store(key);

        try (InputStream in = Fixture.reader(Fixture.ours(Kind.AES))
                .allowDelayedAuthentication(true).build().openContent(BUCKET, key)) {
            assertThat(in.readNBytes(1000)).hasSize(1000);
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(key).hasMessageContaining("authentication tag");
        }
    }

    private static S3ObjectReader reader(Kind kind) {
        return Fixture.reader(Fixture.ours(kind))
                .commitmentPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING).build();
    }
}
