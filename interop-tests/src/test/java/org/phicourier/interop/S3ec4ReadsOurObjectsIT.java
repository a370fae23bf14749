package org.phicourier.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phicourier.interop.Fixture.BUCKET;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.interop.Fixture.Kind;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.encryption.s3.S3EncryptionClient;

/**
 * Every object PHI Courier writes in V3, for each keyring, each size, in object metadata and in
 * an instruction file, single-part and multipart, is read by S3 Encryption Client 4.0.1 with
 * default settings and gives back identical bytes.
 */
class S3ec4ReadsOurObjectsIT {
    private static final int[] SIZES = {0, 1, 15, 16, 17, 1234, 4096};

    static Stream<Arguments> matrix() {
        Stream.Builder<Arguments> rows = Stream.builder();
        for (Kind kind : Kind.values()) {
            for (boolean instructionFile : new boolean[] {false, true}) {
                for (int size : SIZES) {
                    rows.add(Arguments.of(kind, instructionFile, size));
                }
                rows.add(Arguments.of(kind, instructionFile, 2 * Fixture.PART + 1234));
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "{0} instructionFile={1} size={2}")
    @MethodSource("matrix")
    void s3ecDefaultReader_readsOurV3Object_identicalBytes(Kind kind, boolean instructionFile,
            int size) {
        byte[] plaintext = Fixture.bytes(size, size);
        String key = Fixture.put(Fixture.writer(kind, EnvelopeVersion.V3, instructionFile),
                "ours-v3/" + kind + "/" + instructionFile + "/" + size, plaintext);

        assertThat(s3ecRead(kind, key, Fixture.context(key))).isEqualTo(plaintext);
        assertThat(Fixture.S3.headObject(r -> r.bucket(BUCKET).key(key)).metadata()
                .containsKey("x-amz-3")).isEqualTo(!instructionFile);
    }

    @ParameterizedTest
    @EnumSource(ContextCase.class)
    void s3ecKmsReader_contextOtherThanStored_isRefused(ContextCase contextCase) {
        String key = Fixture.put(Fixture.writer(Kind.KMS, EnvelopeVersion.V3, false),
                "ours-v3/kms-context/" + contextCase, Fixture.bytes(100, 1));
        Map<String, String> context = contextCase.apply(Fixture.context(key));

        assertThatThrownBy(() -> s3ecRead(Kind.KMS, key, context))
                .isInstanceOf(RuntimeException.class);
    }

    /** The wrong contexts a reader might pass. */
    enum ContextCase {
        MISSING, SUBSET, SUPERSET, DIFFERENT_KEY;

        Map<String, String> apply(Map<String, String> exact) {
            Map<String, String> context = new HashMap<>(exact);
            switch (this) {
                case MISSING:
                    return Map.of();
                case SUBSET:
                    context.remove(context.keySet().iterator().next());
                    return context;
                case SUPERSET:
                    context.put("extra", "entry");
                    return context;
                default:
                    context.put(org.phicourier.s3.S3Sink.CONTEXT_KEY, "another/object");
                    return context;
            }
        }
    }

    static byte[] s3ecRead(Kind kind, String key, Map<String, String> context) {
        try (S3EncryptionClient s3ec = Fixture.s3ec(kind).build()) {
            ResponseBytes<GetObjectResponse> body = s3ec.getObjectAsBytes(r -> r.bucket(BUCKET)
                    .key(key).overrideConfiguration(kind == Kind.KMS
                            ? S3EncryptionClient.withAdditionalConfiguration(context)
                            : c -> { }));
            return body.asByteArray();
        }
    }
}
