package org.phicourier.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phicourier.interop.Fixture.BUCKET;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.interop.Fixture.Kind;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.encryption.s3.S3EncryptionClient;
import software.amazon.encryption.s3.algorithms.AlgorithmSuite;

/**
 * Every object S3 Encryption Client 4.0.1 writes (each keyring, V3 and V2, object metadata and
 * instruction file, single PUT and multipart) is read by PHI Courier's reader, and PHI Courier's
 * V2 output is read by S3 Encryption Client 4.0.1 when its policy allows non-committing objects.
 */
class OurReaderReadsS3ec4ObjectsIT {
    private static final Map<String, String> CONTEXT = Map.of("department", "cardiology");

    static Stream<Arguments> matrix() {
        Stream.Builder<Arguments> rows = Stream.builder();
        for (Kind kind : Kind.values()) {
            for (EnvelopeVersion version : EnvelopeVersion.values()) {
                for (boolean instructionFile : new boolean[] {false, true}) {
                    for (int size : new int[] {0, 17, 4096, 2 * Fixture.PART + 5}) {
                        rows.add(Arguments.of(kind, version, instructionFile, size));
                    }
                }
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "{0} {1} instructionFile={2} size={3}")
    @MethodSource("matrix")
    void ourReader_readsS3ec4Object_identicalBytes(Kind kind, EnvelopeVersion version,
            boolean instructionFile, int size) {
        byte[] plaintext = Fixture.bytes(size, 7 + size);
        String key = "s3ec4/" + kind + "/" + version + "/" + instructionFile + "/" + size;
        s3ecWrite(kind, version, instructionFile, key, plaintext);

        var reader = Fixture.reader(Fixture.ours(kind))
                .commitmentPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING)
                .instructionFiles(true).build();
        byte[] read = Fixture.readAll(kind == Kind.KMS
                ? reader.openContent(BUCKET, key, CONTEXT) : reader.openContent(BUCKET, key));

        assertThat(read).isEqualTo(plaintext);
    }

    static Stream<Arguments> ourV2() {
        Stream.Builder<Arguments> rows = Stream.builder();
        for (Kind kind : Kind.values()) {
            for (boolean instructionFile : new boolean[] {false, true}) {
                rows.add(Arguments.of(kind, instructionFile));
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "{0} instructionFile={1}")
    @MethodSource("ourV2")
    void s3ec4AllowingNonCommitting_readsOurV2Object(Kind kind, boolean instructionFile) {
        byte[] plaintext = Fixture.bytes(1234, 3);
        String key = Fixture.put(Fixture.writer(kind, EnvelopeVersion.V2, instructionFile),
                "ours-v2/" + kind + "/" + instructionFile, plaintext);

        try (S3EncryptionClient s3ec = Fixture.s3ec(kind).commitmentPolicy(
                software.amazon.encryption.s3.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
                .build()) {
            byte[] read = s3ec.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)
                    .overrideConfiguration(kind == Kind.KMS
                            ? S3EncryptionClient.withAdditionalConfiguration(
                                    Fixture.context(key)) : c -> { })).asByteArray();

            assertThat(read).isEqualTo(plaintext);
        }
    }

    static void s3ecWrite(Kind kind, EnvelopeVersion version, boolean instructionFile,
            String key, byte[] plaintext) {
        S3EncryptionClient.Builder builder = Fixture.s3ec(kind)
                .enableMultipartPutObject(plaintext.length > Fixture.PART);
        if (version == EnvelopeVersion.V2) {
            builder.commitmentPolicy(software.amazon.encryption.s3.CommitmentPolicy
                    .FORBID_ENCRYPT_ALLOW_DECRYPT)
                    .encryptionAlgorithm(AlgorithmSuite.ALG_AES_256_GCM_IV12_TAG16_NO_KDF);
        }
        if (instructionFile) {
            builder.instructionFileConfig(Fixture.writingInstructionFiles());
        }
        try (S3EncryptionClient s3ec = builder.build()) {
            s3ec.putObject(r -> r.bucket(BUCKET).key(key).overrideConfiguration(kind == Kind.KMS
                    ? S3EncryptionClient.withAdditionalConfiguration(CONTEXT) : c -> { }),
                    RequestBody.fromBytes(plaintext));
        }
    }
}
