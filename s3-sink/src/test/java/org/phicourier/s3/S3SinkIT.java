package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.SinkException;
import org.phicourier.SourceException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 sink and reader against the S3/KMS emulator. */
class S3SinkIT {
    private static final Schema SCHEMA = Schema.of(Field.of("n", FieldType.INT64),
            Field.of("ssn", FieldType.STRING), Field.of("noise", FieldType.BINARY));
    private static final int MIB = 1024 * 1024;

    private static S3Emulator emulator;
    private static S3Client s3;
    private static KmsClient kms;
    private static Keyring localKey;
    private String bucket;

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        kms = emulator.kmsClient();
        byte[] master = new byte[32];
        new Random(1).nextBytes(master);
        localKey = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
        kms.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void newBucket() {
        bucket = emulator.createBucket("sink");
    }

    private static List<Row> rows(int count, int noiseBytes) {
        Random random = new Random(count);
        return IntStream.rangeClosed(1, count).mapToObj(i -> {
            byte[] noise = new byte[noiseBytes];
            random.nextBytes(noise);
            return Row.of(SCHEMA, (long) i, String.format("999-%02d-%04d", i % 100, i), noise);
        }).toList();
    }

    private S3Sink.Builder sink(Keyring keyring) {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("/exports/ehr/")
                .keyring(keyring).partSize(5 * MIB).allowPlainHttp(true);
    }

    private RunReport run(List<Row> rows, S3Sink sink) {
        return Pipeline.from(new ListSource(500).stream("patients", SCHEMA, rows)).to(sink)
                .build().run();
    }

    private List<ObjectNode> readBack(Keyring keyring, List<String> keys) {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        List<ObjectNode> records = new ArrayList<>();
        for (String key : keys) {
            try (RecordReader each = reader.readRecords(bucket, key)) {
                each.forEachRemaining(records::add);
            }
        }
        return records;
    }

    @Test
    void run_localKey_recordsReadBackEqualTheSource() {
        RunReport report = run(rows(1000, 8), sink(localKey).build());

        List<ObjectNode> records = readBack(localKey, report.stream("patients").objectKeys());

        assertThat(records).hasSize(1000);
        assertThat(records.get(41).get("n").asLong()).isEqualTo(42);
        assertThat(records.get(41).get("ssn").asText()).isEqualTo("999-42-0042");
        assertThat(report.stream("patients").objectKeys()).singleElement().asString()
                .matches("exports/ehr/patients/\\d{8}T\\d{6}Z-[0-9a-f]{8}-00001\\.jsonl\\.gz");
    }

    @Test
    void run_kmsKey_objectsCarryV3MetadataAndDecrypt() {
        Keyring keyring = KmsKeyring.builder().kmsClient(kms).keyId(emulator.createKmsKey())
                .build();
        RunReport report = run(rows(300, 8), sink(keyring).build());
        String key = report.stream("patients").objectKeys().get(0);

        var metadata = s3.headObject(r -> r.bucket(bucket).key(key)).metadata();

        assertThat(metadata).containsEntry("x-amz-c", "115").containsEntry("x-amz-w", "12")
                .containsKeys("x-amz-3", "x-amz-d", "x-amz-i", "x-amz-t");
        assertThat(metadata.get("x-amz-t")).contains(key, bucket, "patients");
        assertThat(readBack(keyring, List.of(key))).hasSize(300);
    }

    @Test
    void run_storedBytes_holdNoPlaintext() {
        RunReport report = run(rows(200, 8), sink(localKey).build());
        String key = report.stream("patients").objectKeys().get(0);

        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();

        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("999-42-0042");
    }

    @Test
    void run_maxRecordsPerObject_rotatesIntoNumberedObjects() {
        RunReport report = run(rows(250, 8), sink(localKey).maxRecordsPerObject(100).build());

        List<String> keys = report.stream("patients").objectKeys();

        assertThat(keys).hasSize(3);
        assertThat(keys).allMatch(k -> k.startsWith("exports/ehr/patients/"));
        assertThat(keys.get(2)).endsWith("-00003.jsonl.gz");
        assertThat(readBack(localKey, keys)).extracting(r -> r.get("n").asLong())
                .containsExactlyElementsOf(LongRange.closed(1, 250));
    }

    @Test
    void run_maxBytesPerObject_rotatesLargeStreamsIntoMultipartObjects() {
        // 40,000 rows of 300 random bytes (Base64 in JSON) are about 14 MiB after gzip.
        RunReport report = run(rows(40_000, 300), sink(localKey).maxBytesPerObject(6 * MIB)
                .build());
        List<String> keys = report.stream("patients").objectKeys();

        assertThat(keys).hasSizeGreaterThanOrEqualTo(2);
        for (String key : keys) {
            assertThat(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength())
                    .isLessThan(6L * MIB + MIB);
        }
        assertThat(readBack(localKey, keys)).hasSize(40_000);
        assertThat(report.stream("patients").bytesWritten()).isEqualTo(storedBytes("exports/"));
    }

    @Test
    void run_streamFailsAfterSomeObjects_leavesNoObjectAndNoUpload() {
        ListSource source = new ListSource(5_000).stream("patients", SCHEMA, rows(40_000, 300))
                .failAfterFirstBatch("patients",
                        () -> new SourceException("stream 'patients', row 5001: lost"));
        // With 2,000 records per object, two objects are complete when the failure comes
        // and a third is half written.
        S3Sink sink = sink(localKey).maxRecordsPerObject(2_000).build();

        assertThatThrownBy(() -> Pipeline.from(source).to(sink).build().run())
                .isInstanceOf(SourceException.class);
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void prepare_missingBucket_failsBeforeAnyRead() {
        ListSource source = new ListSource(10).stream("patients", SCHEMA, rows(5, 1));
        S3Sink sink = sink(localKey).bucket("no-such-bucket-" + bucket).build();

        assertThatThrownBy(() -> Pipeline.from(source).to(sink).build().run())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bucket 'no-such-bucket-" + bucket + "' does not exist");
        assertThat(source.opened()).isEmpty();
    }

    @Test
    void prepare_unreachableEndpoint_failsWithSinkException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (S3Client nowhere = S3Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .forcePathStyle(true).build()) {
            S3Sink sink = S3Sink.builder().s3Client(nowhere).bucket(bucket).keyring(localKey)
                    .allowPlainHttp(true).build();

            assertThatThrownBy(sink::prepare).isInstanceOf(SinkException.class)
                    .hasMessageContaining("S3 is unreachable while checking bucket '" + bucket);
        }
    }

    @Test
    void prepare_unknownKmsKey_failsNamingTheKey() {
        Keyring keyring = KmsKeyring.builder().kmsClient(kms)
                .keyId("11111111-2222-3333-4444-555555555555").build();

        assertThatThrownBy(() -> sink(keyring).build().prepare())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("KMS key '11111111-2222-3333-4444-555555555555'");
    }

    @Test
    void build_plainHttpEndpointWithoutOptIn_isRefused() {
        assertThatThrownBy(() -> sink(localKey).allowPlainHttp(false).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("plain HTTP");
    }

    @Test
    void read_plainObject_isRefusedAsNotEncrypted() {
        s3.putObject(r -> r.bucket(bucket).key("plain.jsonl"), RequestBody.fromString("{}"));
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(localKey)
                .allowPlainHttp(true).build();

        assertThatThrownBy(() -> reader.openContent(bucket, "plain.jsonl"))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("'plain.jsonl'").hasMessageContaining("not encrypted");
    }

    @Test
    void read_tamperedBody_failsWithoutReleasingPlaintext() throws Exception {
        String key = run(rows(100, 8), sink(localKey).build()).stream("patients").objectKeys()
                .get(0);
        var original = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
        byte[] body = original.asByteArray();
        body[body.length / 2] ^= 1;
        s3.putObject(r -> r.bucket(bucket).key(key).metadata(original.response().metadata()),
                RequestBody.fromBytes(body));
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(localKey)
                .allowPlainHttp(true).build();

        assertThatThrownBy(() -> reader.openContent(bucket, key))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining(key).hasMessageContaining("authentication tag");
    }

    @Test
    void read_kmsObjectCopiedToAnotherKey_failsTheContextCheck() {
        Keyring keyring = KmsKeyring.builder().kmsClient(kms).keyId(emulator.createKmsKey())
                .build();
        String key = run(rows(10, 8), sink(keyring).build()).stream("patients").objectKeys()
                .get(0);
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket)
                .destinationKey("elsewhere/copy.jsonl.gz"));
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();

        assertThatThrownBy(() -> reader.openContent(bucket, "elsewhere/copy.jsonl.gz"))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("encryption context does not match");
    }

    @Test
    void read_wrongLocalKey_failsToUnwrap() {
        String key = run(rows(10, 8), sink(localKey).build()).stream("patients").objectKeys()
                .get(0);
        Keyring other = LocalAesKeyring.of(new byte[32]);
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(other)
                .allowPlainHttp(true).build();

        assertThatThrownBy(() -> reader.openContent(bucket, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("cannot be unwrapped");
    }

    @Test
    void openContent_givesTheDecompressedJsonLines() throws Exception {
        String key = run(rows(3, 1), sink(localKey).build()).stream("patients").objectKeys()
                .get(0);
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(localKey)
                .allowPlainHttp(true).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = reader.openContent(bucket, key)) {
            in.transferTo(out);
        }

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(3)
                .allMatch(line -> line.startsWith("{\"n\":"));
    }

    private long storedBytes(String prefix) {
        return s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .mapToLong(S3Object::size).sum();
    }

    /** Longs from a to b, for readable expectations. */
    private static final class LongRange {
        static List<Long> closed(long from, long to) {
            Long[] values = new Long[(int) (to - from + 1)];
            Arrays.setAll(values, i -> from + i);
            return List.of(values);
        }
    }
}
