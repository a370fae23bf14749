package org.phicourier.interop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phicourier.interop3.Fixture.BUCKET;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.interop3.Fixture.Kind;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.encryption.s3.S3EncryptionClient;

/**
 * PHI Courier's V2 output (each keyring, each size, object metadata and instruction file,
 * single-part and multipart) is read by S3 Encryption Client 3.3.5, and every object 3.3.5
 * writes is read by PHI Courier's reader. (3.3.5 reads instruction files but cannot write them,
 * so its objects carry their envelope in metadata.)
 */
class S3ec3InteropIT {
    private static final Map<String, String> CONTEXT = Map.of("department", "oncology");

    static Stream<Arguments> ourV2() {
        Stream.Builder<Arguments> rows = Stream.builder();
        for (Kind kind : Kind.values()) {
            for (boolean instructionFile : new boolean[] {false, true}) {
                for (int size : new int[] {0, 1, 15, 16, 17, 1234, 4096, 2 * Fixture.PART + 5}) {
                    rows.add(Arguments.of(kind, instructionFile, size));
                }
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "{0} instructionFile={1} size={2}")
    @MethodSource("ourV2")
    void s3ec3_readsOurV2Object_identicalBytes(Kind kind, boolean instructionFile, int size) {
        byte[] plaintext = Fixture.bytes(size, size);
        String key = Fixture.put(Fixture.writer(kind, EnvelopeVersion.V2, instructionFile),
                "ours-v2/" + kind + "/" + instructionFile + "/" + size, plaintext);

        try (S3EncryptionClient s3ec = Fixture.s3ec(kind).build()) {
            byte[] read = s3ec.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)
                    .overrideConfiguration(kind == Kind.KMS
                            ? S3EncryptionClient.withAdditionalConfiguration(
                                    Fixture.context(key)) : c -> { })).asByteArray();

            assertThat(read).isEqualTo(plaintext);
        }
    }

    static Stream<Arguments> theirs() {
        Stream.Builder<Arguments> rows = Stream.builder();
        for (Kind kind : Kind.values()) {
            for (int size : new int[] {0, 17, 4096, 2 * Fixture.PART + 5}) {
                rows.add(Arguments.of(kind, size));
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "{0} size={1}")
    @MethodSource("theirs")
    void ourReader_readsS3ec3Object_identicalBytes(Kind kind, int size) {
        byte[] plaintext = Fixture.bytes(size, 9 + size);
        String key = "s3ec3/" + kind + "/" + size;
        try (S3EncryptionClient s3ec = Fixture.s3ec(kind)
                .enableMultipartPutObject(size > Fixture.PART).build()) {
            s3ec.putObject(r -> r.bucket(BUCKET).key(key).overrideConfiguration(kind == Kind.KMS
                    ? S3EncryptionClient.withAdditionalConfiguration(CONTEXT) : c -> { }),
                    RequestBody.fromBytes(plaintext));
        }

        var reader = Fixture.reader(Fixture.ours(kind))
                .commitmentPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING)
                .instructionFiles(true).build();
        byte[] read = Fixture.readAll(kind == Kind.KMS
                ? reader.openContent(BUCKET, key, CONTEXT) : reader.openContent(BUCKET, key));

        assertThat(read).isEqualTo(plaintext);
    }
}
