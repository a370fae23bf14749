package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.phicourier.IntegrityException;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.StoredObject;
import org.phicourier.state.RunManifest;
import org.phicourier.testdoubles.CursorListSource;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checksums over the ciphertext: S3 stores them per part and object, the run manifest lists
 * them, and the reader checks them, refusing an object whose bytes no longer match.
 */
class IntegrityIT {
    private static final Schema SCHEMA = Schema.of(Field.of("n", FieldType.INT64),
            Field.of("noise", FieldType.BINARY));
    private static final int MIB = 1024 * 1024;

    private static S3Emulator emulator;
    private static S3Client s3;
    private static Keyring keyring;
    private String bucket;

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        byte[] master = new byte[32];
        new Random(5).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = emulator.createBucket("integrity");
    }

    private static List<Row> rows(int count, int noise) {
        Random random = new Random(count);
        return IntStream.rangeClosed(1, count).mapToObj(i -> {
            byte[] bytes = new byte[noise];
            random.nextBytes(bytes);
            return Row.of(SCHEMA, (long) i, bytes);
        }).toList();
    }

    private S3Sink.Builder sink() {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("ehr").keyring(keyring)
                .partSize(5 * MIB).maxBytesPerObject(12 * MIB).allowPlainHttp(true);
    }

    private List<String> run(S3Sink sink, int count, int noise) {
        RunReport report = Pipeline.from(new ListSource(1_000).stream("patients", SCHEMA,
                rows(count, noise))).to(sink).build().run();
        return report.stream("patients").objectKeys();
    }

    private long readAll(String key) {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        try (RecordReader records = reader.readRecords(bucket, key)) {
            long n = 0;
            while (records.hasNext()) {
                records.next();
                n++;
            }
            return n;
        }
    }

    @ParameterizedTest
    @EnumSource(IntegrityChecksum.class)
    void run_multipartObjects_carryTheChecksumAndReadBack(IntegrityChecksum algorithm) {
        assumeTrue(algorithm != IntegrityChecksum.CRC32C || emulatorComputesCrc32c(),
                "the emulator computes CRC32 where CRC32C is asked (moto without crc32c)");
        List<String> keys = run(sink().checksum(algorithm).build(), 40_000, 300);

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(keys.get(0))
                .checksumMode(ChecksumMode.ENABLED));
        long records = keys.stream().mapToLong(this::readAll).sum();

        assertThat(algorithm == IntegrityChecksum.SHA256 ? head.checksumSHA256()
                : head.checksumCRC32C()).isNotBlank();
        assertThat(head.eTag()).contains("-");
        assertThat(records).isEqualTo(40_000);
    }

    @Test
    void read_singlePutObjectChanged_refusedNamingTheChecksum() {
        String key = run(sink().build(), 100, 10).get(0);
        tamper(key);

        assertThatThrownBy(() -> readAll(key)).isInstanceOf(IntegrityException.class)
                .hasMessage("object '" + key + "': its SHA256 checksum does not match the one S3"
                        + " stored");
    }

    @Test
    void read_multipartChecksumDisagrees_refusedNamingTheChecksum() {
        String key = run(sink().build(), 40_000, 300).get(0);
        String partSize = s3.headObject(r -> r.bucket(bucket).key(key)).metadata()
                .get("phi-courier-part-size");
        // The same bytes in parts of another size: S3's composite no longer matches the one
        // computed over the recorded part size, though the content itself is unchanged.
        byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        rewriteAsMultipart(key, bytes, Integer.parseInt(partSize) + MIB);

        assertThatThrownBy(() -> readAll(key)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("SHA256 checksum does not match");
    }

    @Test
    void publish_runWithState_manifestListsSizeChecksumRecordsAndSchemaVersion() {
        CursorListSource source = new CursorListSource("patients",
                CursorListSource.schema(FieldType.INT64), ReplicationMode.INCREMENTAL, 10)
                .add(LongStream.rangeClosed(1, 25).mapToObj(i -> Row.of(
                        CursorListSource.schema(FieldType.INT64), i, "Name " + i)).toList());
        Pipeline.from(source).to(sink().maxRecordsPerObject(10).build())
                .state(org.phicourier.s3.S3StateStore.builder().s3Client(s3).bucket(bucket)
                        .key("state/ehr.json").allowPlainHttp(true).build(), keyring)
                .build().run();

        List<StoredObject> objects = manifest().objects();

        assertThat(objects).hasSize(3);
        for (StoredObject object : objects) {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(object.key())
                    .checksumMode(ChecksumMode.ENABLED));
            assertThat(object.bytes()).isEqualTo(head.contentLength());
            assertThat(object.checksum()).isEqualTo("SHA256:" + head.checksumSHA256());
            assertThat(object.schemaVersion()).startsWith("sha256:");
        }
        assertThat(objects).extracting(StoredObject::records).containsExactly(10L, 10L, 5L);
    }

    /** Moto without its optional crc32c library computes CRC32 where CRC32C is asked. */
    private boolean emulatorComputesCrc32c() {
        byte[] probe = "phi-courier".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(probe);
        String upload = s3.createMultipartUpload(r -> r.bucket(bucket).key("probe")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm
                        .CRC32_C)).uploadId();
        String etag = s3.uploadPart(r -> r.bucket(bucket).key("probe").uploadId(upload)
                .partNumber(1), RequestBody.fromBytes(probe)).eTag();
        s3.completeMultipartUpload(r -> r.bucket(bucket).key("probe").uploadId(upload)
                .multipartUpload(m -> m.parts(software.amazon.awssdk.services.s3.model
                        .CompletedPart.builder().partNumber(1).eTag(etag).build())));
        String stored = s3.headObject(r -> r.bucket(bucket).key("probe")
                .checksumMode(ChecksumMode.ENABLED)).checksumCRC32C();
        byte[] part = java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
        java.util.zip.CRC32C composite = new java.util.zip.CRC32C();
        composite.update(part);
        String expected = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).putInt((int) composite.getValue()).array());
        return stored != null && stored.replaceAll("-.*", "").equals(expected);
    }

    private RunManifest manifest() {
        S3Object only = s3.listObjectsV2(r -> r.bucket(bucket).prefix("ehr/_manifests/"))
                .contents().get(0);
        return RunManifest.fromJson(s3.getObjectAsBytes(r -> r.bucket(bucket).key(only.key()))
                .asUtf8String());
    }

    /** Stores changed bytes under the same key with the original metadata and checksum. */
    private void tamper(String key) {
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key)
                .checksumMode(ChecksumMode.ENABLED));
        byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        bytes[bytes.length / 2] ^= 1;
        // The emulator stores a checksum header without checking it; S3 itself would refuse.
        s3.putObject(r -> r.bucket(bucket).key(key).metadata(head.metadata())
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm
                        .SHA256).checksumSHA256(head.checksumSHA256()),
                RequestBody.fromBytes(bytes));
    }

    private void rewriteAsMultipart(String key, byte[] bytes, int partSize) {
        Map<String, String> metadata = s3.headObject(r -> r.bucket(bucket).key(key)).metadata();
        String upload = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .metadata(metadata)
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm
                        .SHA256)).uploadId();
        List<software.amazon.awssdk.services.s3.model.CompletedPart> parts =
                new java.util.ArrayList<>();
        for (int offset = 0, number = 1; offset < bytes.length; offset += partSize, number++) {
            int length = Math.min(partSize, bytes.length - offset);
            byte[] part = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
            int n = number;
            String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(upload)
                    .partNumber(n), RequestBody.fromBytes(part)).eTag();
            parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                    .partNumber(n).eTag(etag).build());
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload)
                .multipartUpload(m -> m.parts(parts)));
    }
}
