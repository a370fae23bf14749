package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.ObjectSeries;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.WriteResult;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Key templates and object rotation against the emulator. */
class LayoutAndRotationIT {
    private static final Schema VISITS = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("state", FieldType.STRING), Field.of("admitted", FieldType.DATE),
            Field.of("noise", FieldType.BINARY));
    private static final String HIVE = "{stream}/state={value:state}"
            + "/admitted={date:admitted:yyyy-MM-dd}/{runId}-{sequence}";
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
        new Random(3).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = emulator.createBucket("layout");
    }

    private static List<Row> visits(int count, int noiseBytes) {
        String[] states = {"NY", "CA", "TX"};
        Random random = new Random(count);
        return IntStream.range(0, count).mapToObj(i -> {
            byte[] noise = new byte[noiseBytes];
            random.nextBytes(noise);
            return Row.of(VISITS, (long) i, states[i % 3],
                    LocalDate.of(2026, 1, 1 + i % 2), noise);
        }).toList();
    }

    private S3Sink.Builder sink() {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("lake").keyring(keyring)
                .partSize(5 * MIB).allowPlainHttp(true);
    }

    private RunReport run(List<Row> rows, S3Sink sink) {
        return Pipeline.from(new ListSource(100).stream("visits", VISITS, rows)).to(sink)
                .build().run();
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .map(S3Object::key).toList();
    }

    private List<Row> readBack(List<String> keys, Schema schema) {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        List<Row> rows = new ArrayList<>();
        try (RowReader each = reader.readRows(bucket, keys, schema)) {
            each.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static List<Long> ids(List<Row> rows) {
        return rows.stream().map(row -> (Long) row.get(0)).sorted().toList();
    }

    @Test
    void run_hiveTemplateByStateAndDate_writesOneObjectPerPartitionWithEqualsSignsIntact() {
        RunReport report = run(visits(600, 4), sink().keyTemplate(HIVE)
                .allowFieldValuesInKeys(true).format(ObjectFormat.CSV).maxOpenObjects(6)
                .build());

        String runId = report.runId();
        List<String> expected = new ArrayList<>();
        for (String state : List.of("CA", "NY", "TX")) {
            for (String day : List.of("2026-01-01", "2026-01-02")) {
                expected.add("lake/visits/state=" + state + "/admitted=" + day + "/" + runId);
            }
        }
        assertThat(keys()).hasSize(6).allSatisfy(key -> assertThat(key).endsWith(".csv.gz"))
                .map(key -> key.substring(0, key.lastIndexOf('-')))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void run_hiveTemplate_everyRowOnceInTheObjectOfItsPartition() {
        run(visits(600, 4), sink().keyTemplate(HIVE).allowFieldValuesInKeys(true)
                .maxOpenObjects(6).build());

        List<String> ny = keys().stream().filter(key -> key.contains("/state=NY/")).toList();

        assertThat(readBack(ny, VISITS)).hasSize(200)
                .allSatisfy(row -> assertThat(row.get(1)).isEqualTo("NY"));
        assertThat(ids(readBack(keys(), VISITS))).containsExactlyElementsOf(
                LongStreamList.range(600));
    }

    @Test
    void run_morePartitionsThanOpenObjects_closesTheLeastRecentAndLosesNothing() {
        run(visits(600, 4), sink().keyTemplate(HIVE).allowFieldValuesInKeys(true)
                .maxOpenObjects(2).build());

        assertThat(keys().size()).isGreaterThan(6);
        assertThat(ids(readBack(keys(), VISITS))).containsExactlyElementsOf(
                LongStreamList.range(600));
    }

    @Test
    void build_fieldValuesInKeysWithoutAllow_isRefused() {
        assertThatThrownBy(() -> sink().keyTemplate(HIVE).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("allowFieldValuesInKeys");
    }

    @Test
    void build_invalidTemplate_isRefusedNamingTheProblem() {
        assertThatThrownBy(() -> sink().keyTemplate("{stream}/{runId}-{sequence}/a b").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keyTemplate").hasMessageContaining("' '");
    }

    @Test
    void open_templateNamingAMissingField_isRefused() {
        S3Sink sink = sink().keyTemplate("{stream}/zip={value:zip}/{runId}-{sequence}")
                .allowFieldValuesInKeys(true).build();

        assertThatThrownBy(() -> sink.open(StreamContext.of("r", "visits", Instant.now()),
                VISITS)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'zip'");
    }

    @Test
    void open_fieldTemplateInRunWithState_isRefused() {
        S3Sink sink = sink().keyTemplate(HIVE).allowFieldValuesInKeys(true).build();
        StreamContext context = StreamContext.resumable("r", "visits", Instant.now(),
                new ObjectSeries(1, 1, Instant.now(), 1));

        assertThatThrownBy(() -> sink.open(context, VISITS))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("{stream}/{generation}");
    }

    @Test
    void open_runTimeTemplateInRunWithState_isRefused() {
        S3Sink sink = sink().keyTemplate("{stream}/{generation}/{run:yyyy}/{sequence}").build();
        StreamContext context = StreamContext.resumable("r", "visits", Instant.now(),
                new ObjectSeries(1, 1, Instant.now(), 1));

        assertThatThrownBy(() -> sink.open(context, VISITS))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("neither a field nor the run");
    }

    @Test
    void run_maxRecordsPerObject_streamLargerThanOneObjectRotatesInOrder() {
        RunReport report = run(visits(1050, 4), sink().format(ObjectFormat.CSV)
                .compression(Compression.ZSTD).maxRecordsPerObject(100).build());

        List<String> objects = report.stream("visits").objectKeys();

        assertThat(objects).hasSize(11);
        assertThat(objects.get(10)).endsWith("-00011.csv.zst");
        assertThat(readBack(objects, VISITS)).extracting(row -> row.get(0))
                .containsExactlyElementsOf(LongStreamList.range(1050));
    }

    @Test
    void run_maxBytesPerObject_largeCsvStreamRotatesBySize() {
        RunReport report = run(visits(30_000, 300), sink().format(ObjectFormat.CSV)
                .compression(Compression.NONE).maxBytesPerObject(6 * MIB).build());

        List<String> objects = report.stream("visits").objectKeys();

        assertThat(objects).hasSizeGreaterThan(1);
        objects.forEach(key -> assertThat(s3.headObject(r -> r.bucket(bucket).key(key))
                .contentLength()).isLessThan(6L * MIB + 256 * 1024));
        assertThat(ids(readBack(objects, VISITS))).hasSize(30_000);
    }

    @Test
    void write_schemaChanges_newObjectWithItsOwnHeader() throws IOException {
        Schema wider = Schema.of(Field.of("id", FieldType.INT64),
                Field.of("state", FieldType.STRING), Field.of("admitted", FieldType.DATE),
                Field.of("noise", FieldType.BINARY), Field.of("zip3", FieldType.STRING));
        S3Sink sink = sink().format(ObjectFormat.CSV).compression(Compression.NONE).build();
        WriteResult result;
        try (StreamWriter writer = sink.open(StreamContext.of("r", "visits", Instant.now()),
                VISITS)) {
            writer.write(RowBatch.of(VISITS, visits(3, 1), 1));
            writer.write(RowBatch.of(wider, List.of(Row.of(wider, 9L, "NY", null, null,
                    "100")), 4));
            result = writer.commit();
        }

        assertThat(result.objectKeys()).hasSize(2);
        assertThat(plaintext(result.objectKeys().get(1)))
                .startsWith("id,state,admitted,noise,zip3\r\n9,NY,,,100\r\n");
        assertThat(readBack(List.of(result.objectKeys().get(1)), wider)).hasSize(1);
    }

    @Test
    void write_objectOlderThanMaxAge_isCompletedAndTheNextBegun() {
        MutableClock clock = new MutableClock();
        S3Sink sink = sink().maxObjectAge(Duration.ofMinutes(5)).clock(clock).build();
        WriteResult result;
        try (StreamWriter writer = sink.open(StreamContext.of("r", "visits", Instant.now()),
                VISITS)) {
            List<Row> rows = visits(4, 1);
            writer.write(RowBatch.of(VISITS, rows.subList(0, 2), 1));
            clock.advance(Duration.ofMinutes(5));
            writer.write(RowBatch.of(VISITS, rows.subList(2, 4), 3));
            result = writer.commit();
        }

        assertThat(result.objectKeys()).hasSize(2);
        assertThat(readBack(result.objectKeys(), VISITS)).hasSize(4);
    }

    private String plaintext(String key) throws IOException {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = reader.openContent(bucket, key)) {
            in.transferTo(out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The numbers 0 to n - 1 as longs. */
    private static final class LongStreamList {
        static List<Long> range(int n) {
            return IntStream.range(0, n).mapToObj(i -> (long) i).toList();
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-04T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
