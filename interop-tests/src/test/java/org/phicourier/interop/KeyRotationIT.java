package org.phicourier.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phicourier.interop.Fixture.BUCKET;
import static org.phicourier.interop.Fixture.S3;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.crypto.LocalRsaKeyring;
import org.phicourier.crypto.MultiKeyring;
import org.phicourier.s3.KeyRotation;
import org.phicourier.s3.KmsKeyring;
import org.phicourier.s3.RotationEvent;
import org.phicourier.s3.RotationReport;
import org.phicourier.s3.S3ObjectWriter;
import org.phicourier.testing.CapturedLogs;
import software.amazon.encryption.s3.S3EncryptionClient;

/**
 * Key rotation: objects written under master key A are re-wrapped to B; afterwards they decrypt
 * with B and not with A, their body bytes are unchanged, and S3 Encryption Client reads them
 * with B.
 */
class KeyRotationIT {
    private static final byte[] SECOND_AES = Fixture.bytes(32, 99);
    private static final KeyPair SECOND_RSA = Fixture.rsa(2048);
    private static final String SECOND_KMS = Fixture.EMULATOR.createKmsKey();

    /** A master key: which kind, and whether the first or second of its kind. */
    enum Key {
        AES_A, AES_B, RSA_A, RSA_B, KMS_A, KMS_B;

        Keyring keyring() {
            switch (this) {
                case AES_A:
                    return Fixture.ours(Fixture.Kind.AES);
                case AES_B:
                    return LocalAesKeyring.of(SECOND_AES);
                case RSA_A:
                    return Fixture.ours(Fixture.Kind.RSA);
                case RSA_B:
                    return LocalRsaKeyring.builder().privateKey(SECOND_RSA.getPrivate())
                            .publicKey(SECOND_RSA.getPublic()).build();
                case KMS_A:
                    return Fixture.ours(Fixture.Kind.KMS);
                default:
                    return KmsKeyring.builder().kmsClient(Fixture.KMS).keyId(SECOND_KMS).build();
            }
        }
    }

    static Stream<Arguments> rotations() {
        Stream.Builder<Arguments> rows = Stream.builder();
        Key[][] pairs = {{Key.AES_A, Key.AES_B}, {Key.KMS_A, Key.KMS_B}, {Key.AES_A, Key.KMS_B},
            {Key.RSA_A, Key.AES_B}, {Key.KMS_A, Key.RSA_B}, {Key.RSA_A, Key.RSA_B}};
        for (Key[] pair : pairs) {
            for (EnvelopeVersion version : EnvelopeVersion.values()) {
                for (boolean instructionFile : new boolean[] {false, true}) {
                    rows.add(Arguments.of(pair[0], pair[1], version, instructionFile));
                }
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "{0} -> {1} {2} instructionFile={3}")
    @MethodSource("rotations")
    void rewrap_objectsUnderA_decryptWithBNotAAndKeepTheirBody(Key a, Key b,
            EnvelopeVersion version, boolean instructionFile) {
        String prefix = "rotation/" + a + "-" + b + "-" + version + "-" + instructionFile + "/";
        byte[] plaintext = Fixture.bytes(3000, 5);
        S3ObjectWriter writer = S3ObjectWriter.builder().s3Client(S3).keyring(a.keyring())
                .formatVersion(version).instructionFile(instructionFile).allowPlainHttp(true)
                .build();
        String key = Fixture.put(writer, prefix + "object", plaintext);
        byte[] bodyBefore = rawBody(key);

        RotationReport report = rotation(a, b, false).rewrap(BUCKET, prefix);

        assertThat(report.count(RotationEvent.Outcome.REWRAPPED)).isEqualTo(1);
        assertThat(rawBody(key)).isEqualTo(bodyBefore);
        assertThat(read(b.keyring(), key)).isEqualTo(plaintext);
        assertThatThrownBy(() -> read(a.keyring(), key)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(key);
    }

    @Test
    void rewrap_objectIsThenReadByS3ec4WithTheNewKey() {
        String key = Fixture.put(Fixture.writer(Fixture.Kind.AES, EnvelopeVersion.V3, false),
                "rotation-s3ec/object", Fixture.bytes(4096, 8));

        rotation(Key.AES_A, Key.KMS_B, false).rewrap(BUCKET, "rotation-s3ec/");

        try (S3EncryptionClient s3ec = S3EncryptionClient.builderV4()
                .wrappedClient(Fixture.EMULATOR.s3Client()).wrappedAsyncClient(Fixture.async())
                .keyring(software.amazon.encryption.s3.materials.KmsKeyring.builder()
                        .kmsClient(Fixture.EMULATOR.kmsClient()).wrappingKeyId(SECOND_KMS).build())
                .build()) {
            byte[] read = s3ec.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(
                            Fixture.context(key)))).asByteArray();
            assertThat(read).isEqualTo(Fixture.bytes(4096, 8));
        }
    }

    @Test
    void rewrap_dryRun_reportsButChangesNothing() {
        String key = Fixture.put(Fixture.writer(Fixture.Kind.AES, EnvelopeVersion.V3, false),
                "rotation-dry/object", Fixture.bytes(100, 1));
        Map<String, String> before = metadata(key);

        RotationReport report = rotation(Key.AES_A, Key.AES_B, true).rewrap(BUCKET,
                "rotation-dry/");

        assertThat(report.count(RotationEvent.Outcome.WOULD_REWRAP)).isEqualTo(1);
        assertThat(report.dryRun()).isTrue();
        assertThat(metadata(key)).isEqualTo(before);
    }

    @Test
    void rewrap_secondRun_findsObjectsAlreadyCurrent() {
        Fixture.put(Fixture.writer(Fixture.Kind.AES, EnvelopeVersion.V3, true),
                "rotation-twice/object", Fixture.bytes(100, 1));
        rotation(Key.AES_A, Key.AES_B, false).rewrap(BUCKET, "rotation-twice/");

        RotationReport again = rotation(Key.AES_A, Key.AES_B, false).rewrap(BUCKET,
                "rotation-twice/");

        assertThat(again.count(RotationEvent.Outcome.ALREADY_CURRENT)).isEqualTo(1);
        assertThat(again.succeeded()).isTrue();
    }

    @Test
    void rewrap_objectUnderAnotherKey_failsAndIsReported() {
        String key = Fixture.put(S3ObjectWriter.builder().s3Client(S3)
                .keyring(Key.RSA_B.keyring()).allowPlainHttp(true).build(),
                "rotation-foreign/object", Fixture.bytes(100, 1));

        RotationReport report = rotation(Key.AES_A, Key.AES_B, false).rewrap(BUCKET,
                "rotation-foreign/");

        assertThat(report.succeeded()).isFalse();
        assertThat(report.events().get(0).detail()).contains(key).contains("cannot unwrap");
    }

    @Test
    void rewrap_emitsOneAuditEventPerObjectAndLogsNoKeyMaterial() {
        Fixture.put(Fixture.writer(Fixture.Kind.AES, EnvelopeVersion.V3, false),
                "rotation-audit/one", Fixture.bytes(10, 1));
        Fixture.put(Fixture.writer(Fixture.Kind.AES, EnvelopeVersion.V3, false),
                "rotation-audit/two", Fixture.bytes(10, 2));
        List<RotationEvent> audit = new ArrayList<>();

        String logs;
        try (CapturedLogs captured = CapturedLogs.everythingAtTrace()) {
            KeyRotation.builder().s3Client(S3).from(Key.AES_A.keyring())
                    .to(Key.AES_B.keyring()).onEvent(audit::add).allowPlainHttp(true).build()
                    .rewrap(BUCKET, "rotation-audit/");
            logs = captured.text();
        }

        assertThat(audit).extracting(RotationEvent::objectKey)
                .containsExactly("rotation-audit/one", "rotation-audit/two");
        assertThat(logs).contains("rotation-audit/one")
                .doesNotContain(Base64.getEncoder().encodeToString(Fixture.AES_KEY))
                .doesNotContain(Base64.getEncoder().encodeToString(SECOND_AES));
    }

    @Test
    void multiKeyring_readsObjectsUnderTheOldAndTheNewKey() {
        String old = Fixture.put(Fixture.writer(Fixture.Kind.KMS, EnvelopeVersion.V3, false),
                "rotation-multi/old", Fixture.bytes(10, 1));
        String fresh = Fixture.put(S3ObjectWriter.builder().s3Client(S3)
                .keyring(Key.KMS_B.keyring()).allowPlainHttp(true).build(),
                "rotation-multi/new", Fixture.bytes(10, 2));
        Keyring both = MultiKeyring.of(Key.KMS_B.keyring(), Key.KMS_A.keyring());

        assertThat(read(both, old)).isEqualTo(Fixture.bytes(10, 1));
        assertThat(read(both, fresh)).isEqualTo(Fixture.bytes(10, 2));
    }

    private static KeyRotation rotation(Key a, Key b, boolean dryRun) {
        return KeyRotation.builder().s3Client(S3).from(a.keyring()).to(b.keyring())
                .dryRun(dryRun).instructionFiles(true).allowPlainHttp(true).build();
    }

    private static byte[] read(Keyring keyring, String key) {
        return Fixture.readAll(Fixture.reader(keyring)
                .commitmentPolicy(org.phicourier.crypto.CommitmentPolicy.ALLOW_NON_COMMITTING)
                .instructionFiles(true).build().openContent(BUCKET, key));
    }

    private static byte[] rawBody(String key) {
        return S3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
    }

    private static Map<String, String> metadata(String key) {
        return S3.headObject(r -> r.bucket(BUCKET).key(key)).metadata();
    }
}
