package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.SinkException;
import org.phicourier.SourceException;
import org.phicourier.StateConflictException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.ObjectSeries;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.StoredObject;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.state.RunManifest;
import org.phicourier.state.StateStore;
import org.phicourier.testdoubles.CursorListSource;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 sink and state store in runs with state, against the S3 emulator. */
class ResumableS3SinkIT {
    private static final Schema SCHEMA = CursorListSource.schema(FieldType.INT64);
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
        new Random(6).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = emulator.createBucket("resume");
    }

    private static List<Row> rows(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> Row.of(SCHEMA, i, "Name " + i))
                .toList();
    }

    private S3Sink sink(long maxRecords) {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("ehr").keyring(keyring)
                .partSize(5 * MIB).maxRecordsPerObject(maxRecords).allowPlainHttp(true).build();
    }

    private StateStore state() {
        return S3StateStore.builder().s3Client(s3).bucket(bucket).key("state/ehr.json")
                .allowPlainHttp(true).build();
    }

    private RunReport run(org.phicourier.spi.Source source, S3Sink sink) {
        return Pipeline.from(source).to(sink).state(state(), keyring).build().run();
    }

    private List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
                .stream().map(S3Object::key).toList();
    }

    private List<RunManifest> manifests() {
        return keys("ehr/_manifests/").stream().map(key -> RunManifest.fromJson(
                s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String())).toList();
    }

    /** The ids in every object that some manifest lists. */
    private List<Long> committedIds() {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        List<Long> ids = new ArrayList<>();
        for (RunManifest manifest : manifests()) {
            for (StoredObject object : manifest.objects()) {
                try (RecordReader records = reader.readRecords(bucket, object.key())) {
                    records.forEachRemaining((ObjectNode r) -> ids.add(r.get("id").asLong()));
                }
            }
        }
        return ids;
    }

    private static List<Long> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void run_completed_storesItsReportAsJsonBesideTheManifest() {
        RunReport report = run(new ListSource(50).stream("patients", SCHEMA, rows(1, 60)),
                sink(50));

        String stored = s3.getObjectAsBytes(r -> r.bucket(bucket)
                .key("ehr/_reports/" + report.runId() + ".json")).asUtf8String();

        assertThat(stored).isEqualTo(report.toJson()).doesNotContain("Name 1");
        assertThat(manifests()).hasSize(1);
    }

    @Test
    void run_threeFullRefreshes_leaveExactlyTheLastGeneration() {
        ListSource source = new ListSource(50).stream("patients", SCHEMA, rows(1, 120));
        S3Sink sink = sink(50);

        List<RunReport> reports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reports.add(run(source, sink));
        }

        List<String> objects = keys("ehr/patients/");
        assertThat(objects).hasSize(3).allMatch(k -> k.matches(
                "ehr/patients/g000003-\\d{8}T\\d{6}Z/0000000[123]\\.jsonl\\.gz"));
        assertThat(objects).containsExactlyInAnyOrderElementsOf(
                reports.get(2).stream("patients").objectKeys());
        assertThat(manifests()).hasSize(3).last().satisfies(m -> assertThat(m.streams().get(0)
                .retiredGenerations()).containsExactly(2L));
    }

    @Test
    void run_incrementalFailsMidStream_rerunCommitsEveryRecordOnce() {
        CursorListSource source = new CursorListSource("patients", SCHEMA,
                ReplicationMode.INCREMENTAL, 10).add(rows(1, 95)).failBeforeBatch(b -> b == 6);
        S3Sink sink = sink(20);

        assertThatThrownBy(() -> run(source, sink)).isInstanceOf(SourceException.class);
        source.failBeforeBatch(b -> false).add(rows(96, 110));
        run(source, sink);
        RunReport idle = run(source, sink);

        assertThat(committedIds()).containsExactlyInAnyOrderElementsOf(ids(1, 110));
        assertThat(idle.recordsWritten()).isZero();
        assertThat(manifests()).extracting(RunManifest::outcome).containsExactly(
                RunManifest.Outcome.FAILED, RunManifest.Outcome.COMPLETED,
                RunManifest.Outcome.COMPLETED);
    }

    @Test
    void run_s3FailsPastItsRetries_rerunCommitsEveryRecordOnce() {
        AtomicBoolean down = new AtomicBoolean();
        AtomicInteger stored = new AtomicInteger();
        try (S3Client failing = clientThatFails(down, stored)) {
            CursorListSource source = new CursorListSource("patients", SCHEMA,
                    ReplicationMode.INCREMENTAL, 10).add(rows(1, 100));
            S3Sink sink = S3Sink.builder().s3Client(failing).bucket(bucket).prefix("ehr")
                    .keyring(keyring).maxRecordsPerObject(10).allowPlainHttp(true).build();
            StateStore state = S3StateStore.builder().s3Client(s3).bucket(bucket)
                    .key("state/ehr.json").allowPlainHttp(true).build();
            Pipeline pipeline = Pipeline.from(source).to(sink).state(state, keyring).build();

            assertThatThrownBy(pipeline::run).isInstanceOf(SinkException.class);
            down.set(false);
            pipeline.run();
        }

        assertThat(committedIds()).containsExactlyInAnyOrderElementsOf(ids(1, 100));
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }

    /** A client whose data-object uploads fail, every attempt, from the fourth object on. */
    private static S3Client clientThatFails(AtomicBoolean down, AtomicInteger stored) {
        ExecutionInterceptor outage = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context,
                    ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest put
                        && put.key().endsWith(".jsonl.gz")
                        && (stored.incrementAndGet() == 4 || down.get())) {
                    down.set(true);
                    throw SdkClientException.create("injected: S3 unreachable");
                }
            }
        };
        return S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.addExecutionInterceptor(outage)).build();
    }

    @Test
    void run_abandonedUploadUnderThePrefix_isAbortedAndOthersAreNot() {
        String ours = "ehr/patients/g000001-20260101T000000Z/00000007.jsonl.gz";
        s3.createMultipartUpload(r -> r.bucket(bucket).key(ours));
        s3.createMultipartUpload(r -> r.bucket(bucket).key("elsewhere/file.bin"));

        run(new ListSource(10).stream("patients", SCHEMA, rows(1, 5)), sink(100));

        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                .extracting(u -> u.key()).containsExactly("elsewhere/file.bin");
    }

    @Test
    void run_uncommittedObjectOfAnOlderRun_isRemoved() {
        CursorListSource source = new CursorListSource("patients", SCHEMA,
                ReplicationMode.INCREMENTAL, 10).add(rows(1, 10));
        S3Sink sink = sink(10);
        String committed = run(source, sink).stream("patients").objectKeys().get(0);
        String orphan = committed.replace("00000001.jsonl.gz", "00000002.jsonl.gz");
        s3.putObject(r -> r.bucket(bucket).key(orphan).metadata(Map.of("phi-courier-epoch", "1")),
                RequestBody.fromString("left by a killed run"));

        run(source, sink);

        assertThat(keys("ehr/patients/")).containsExactly(committed);
    }

    private S3Sink csvZstdSink(long maxRecords) {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("ehr").keyring(keyring)
                .partSize(5 * MIB).maxRecordsPerObject(maxRecords).format(ObjectFormat.CSV)
                .compression(Compression.ZSTD).keyTemplate("{stream}/{generation}/part-{sequence}")
                .allowPlainHttp(true).build();
    }

    @Test
    void run_csvZstdCustomTemplateFailsMidStream_rerunCommitsEveryRecordOnce() {
        CursorListSource source = new CursorListSource("patients", SCHEMA,
                ReplicationMode.INCREMENTAL, 10).add(rows(1, 95)).failBeforeBatch(b -> b == 6);
        S3Sink sink = csvZstdSink(20);

        assertThatThrownBy(() -> run(source, sink)).isInstanceOf(SourceException.class);
        source.failBeforeBatch(b -> false).add(rows(96, 110));
        run(source, sink);

        assertThat(committedIds()).containsExactlyInAnyOrderElementsOf(ids(1, 110));
        assertThat(keys("ehr/patients/")).allMatch(k -> k.matches(
                "ehr/patients/g000001-\\d{8}T\\d{6}Z/part-\\d{8}\\.csv\\.zst"));
    }

    @Test
    void run_uncommittedObjectUnderCustomTemplate_isRemoved() {
        CursorListSource source = new CursorListSource("patients", SCHEMA,
                ReplicationMode.INCREMENTAL, 10).add(rows(1, 10));
        S3Sink sink = csvZstdSink(10);
        String committed = run(source, sink).stream("patients").objectKeys().get(0);
        String orphan = committed.replace("part-00000001.csv.zst", "part-00000002.csv.zst");
        s3.putObject(r -> r.bucket(bucket).key(orphan).metadata(Map.of("phi-courier-epoch", "1")),
                RequestBody.fromString("left by a killed run"));

        run(source, sink);

        assertThat(keys("ehr/patients/")).containsExactly(committed);
    }

    private StreamWriter writer(S3Sink sink, long epoch) {
        return sink.open(StreamContext.resumable("run-" + epoch, "patients", Instant.EPOCH,
                new ObjectSeries(epoch, 1, Instant.EPOCH, 1)), NOISY);
    }

    private static final Schema NOISY = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("noise", FieldType.BINARY));

    private static RowBatch noise(int rows, int bytes) {
        Random random = new Random(rows);
        return RowBatch.of(NOISY, IntStream.range(0, rows).mapToObj(i -> {
            byte[] value = new byte[bytes];
            random.nextBytes(value);
            return Row.of(NOISY, (long) i, value);
        }).toList(), 1);
    }

    private String epochOf(String key) {
        return s3.headObject(r -> r.bucket(bucket).key(key)).metadata().get("phi-courier-epoch");
    }

    @Test
    void checkpoint_olderWriterAfterANewerOne_failsAndLeavesTheNewerObject() {
        S3Sink sink = sink(1_000_000);
        StreamWriter older = writer(sink, 5);
        StreamWriter newer = writer(sink, 6);
        older.write(noise(10, 10));
        newer.write(noise(20, 10));

        String key = newer.checkpoint(true).orElseThrow().key();

        assertThatThrownBy(() -> older.checkpoint(true)).isInstanceOf(SinkException.class)
                .hasMessageContaining("epoch 6").hasMessageContaining("stale");
        older.abort();
        assertThat(epochOf(key)).isEqualTo("6");
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void checkpoint_olderMultipartWriterAfterANewerOne_failsAndLeavesTheNewerObject() {
        S3Sink sink = sink(1_000_000);
        StreamWriter older = writer(sink, 5);
        StreamWriter newer = writer(sink, 6);
        older.write(noise(8_000, 1_000));
        newer.write(noise(10, 10));

        String key = newer.checkpoint(true).orElseThrow().key();

        assertThatThrownBy(() -> older.checkpoint(true)).isInstanceOf(SinkException.class)
                .hasMessageContaining("stale");
        older.abort();
        assertThat(epochOf(key)).isEqualTo("6");
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void checkpoint_newerWriterAfterAnOlderOne_replacesTheUncommittedObject() {
        S3Sink sink = sink(1_000_000);
        StreamWriter older = writer(sink, 5);
        StreamWriter newer = writer(sink, 6);
        older.write(noise(10, 10));
        newer.write(noise(8_000, 1_000));

        String key = older.checkpoint(true).orElseThrow().key();
        StoredObject replaced = newer.checkpoint(true).orElseThrow();

        assertThat(replaced.key()).isEqualTo(key);
        assertThat(epochOf(key)).isEqualTo("6");
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        try (RecordReader records = reader.readRecords(bucket, key)) {
            assertThat(records).toIterable().hasSize(8_000);
        }
    }

    private S3Sink instructionFileSink() {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("ehr").keyring(keyring)
                .partSize(5 * MIB).instructionFile(true).allowPlainHttp(true).build();
    }

    private String epochOfInstructionFile(String key) {
        return epochOf(key + ".instruction");
    }

    private long recordsIn(String key) {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        try (RecordReader records = reader.readRecords(bucket, key)) {
            long count = 0;
            for (; records.hasNext(); records.next()) {
                count++;
            }
            return count;
        }
    }

    @Test
    void checkpoint_instructionFiles_olderWriterAfterANewerOne_leavesTheNewerEnvelope() {
        S3Sink sink = instructionFileSink();
        StreamWriter older = writer(sink, 5);
        StreamWriter newer = writer(sink, 6);
        older.write(noise(10, 10));
        newer.write(noise(20, 10));

        String key = newer.checkpoint(true).orElseThrow().key();

        assertThatThrownBy(() -> older.checkpoint(true)).isInstanceOf(SinkException.class)
                .hasMessageContaining("stale");
        older.abort();
        assertThat(epochOfInstructionFile(key)).isEqualTo("6");
        assertThat(recordsIn(key)).isEqualTo(20);
    }

    @Test
    void checkpoint_instructionFiles_newerWriterReplacesTheUncommittedObjectAndEnvelope() {
        S3Sink sink = instructionFileSink();
        StreamWriter older = writer(sink, 5);
        StreamWriter newer = writer(sink, 6);
        older.write(noise(10, 10));
        newer.write(noise(30, 10));

        String key = older.checkpoint(true).orElseThrow().key();
        newer.checkpoint(true).orElseThrow();

        assertThat(epochOf(key)).isEqualTo("6");
        assertThat(epochOfInstructionFile(key)).isEqualTo("6");
        assertThat(recordsIn(key)).isEqualTo(30);
    }

    @Test
    void run_kmsKeyring_sealsBookmarksThatTheNextRunOpens() {
        try (KmsClient kmsClient = emulator.kmsClient()) {
            Keyring kms = KmsKeyring.builder().kmsClient(kmsClient)
                    .keyId(emulator.createKmsKey()).build();
            Schema byName = CursorListSource.schema(FieldType.STRING);
            CursorListSource source = new CursorListSource("patients", byName,
                    ReplicationMode.INCREMENTAL, 3).add(IntStream.range(0, 7)
                            .mapToObj(i -> Row.of(byName, "Adeyemi-" + i, "x")).toList());
            S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).prefix("ehr")
                    .keyring(kms).maxRecordsPerObject(3).allowPlainHttp(true).build();
            Pipeline pipeline = Pipeline.from(source).to(sink).state(state(), kms).build();

            RunReport first = pipeline.run();
            source.add(List.of(Row.of(byName, "Zulu", "x")));
            RunReport second = pipeline.run();

            assertThat(first.recordsWritten()).isEqualTo(7);
            assertThat(second.recordsWritten()).isEqualTo(1);
        }
    }

    @Test
    void stateStore_writeNamingAnOldVersion_isAConflict() {
        StateStore store = state();
        String first = store.write("{}".getBytes(StandardCharsets.UTF_8), Optional.empty());
        store.write("{\"a\":1}".getBytes(StandardCharsets.UTF_8), Optional.of(first));

        assertThatThrownBy(() -> store.write("{}".getBytes(StandardCharsets.UTF_8),
                Optional.of(first))).isInstanceOf(StateConflictException.class);
        assertThatThrownBy(() -> store.write("{}".getBytes(StandardCharsets.UTF_8),
                Optional.empty())).isInstanceOf(StateConflictException.class);
        assertThat(new String(store.read().orElseThrow().document(), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
    }

    @Test
    void run_textCursor_stateObjectHoldsNoPlaintextValue() {
        Schema byName = CursorListSource.schema(FieldType.STRING);
        CursorListSource source = new CursorListSource("patients", byName,
                ReplicationMode.INCREMENTAL, 3).add(IntStream.range(0, 7)
                        .mapToObj(i -> Row.of(byName, "Okafor-" + i, "x")).toList());

        run(source, sink(3));

        String state = s3.getObjectAsBytes(r -> r.bucket(bucket).key("state/ehr.json"))
                .asUtf8String();
        assertThat(state).contains("\"nextSequence\"").doesNotContain("Okafor");
    }
}
