package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.FaultyS3Proxy;
import org.phicourier.testing.FaultyS3Proxy.Fault;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Part uploads through a proxy that fails chosen part requests in front of the emulator: the
 * failed parts are retried on their own with the same ciphertext, so the run completes and every
 * record arrives exactly once; a part that keeps failing ends the run with its bucket, key and
 * part number named, and the upload is aborted.
 */
class PartRetryIT {
    private static final Schema SCHEMA = Schema.of(Field.of("n", FieldType.INT64),
            Field.of("noise", FieldType.BINARY));
    private static final int MIB = 1024 * 1024;
    /** About 28 MiB after gzip: six or more parts of 5 MiB. */
    private static final int ROWS = 80_000;

    private static S3Emulator emulator;
    private static S3Client direct;
    private static Keyring keyring;
    private String bucket;

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        direct = emulator.s3Client();
        byte[] master = new byte[32];
        new Random(8).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        direct.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = emulator.createBucket("retry");
    }

    private static List<Row> rows(int count) {
        Random random = new Random(count);
        return IntStream.rangeClosed(1, count).mapToObj(i -> {
            byte[] noise = new byte[300];
            random.nextBytes(noise);
            return Row.of(SCHEMA, (long) i, noise);
        }).toList();
    }

    private S3Sink.Builder sink(S3Client s3) {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("exports").keyring(keyring)
                .partSize(5 * MIB).maxBytesPerObject(12 * MIB)
                .retryBaseDelay(Duration.ofMillis(5)).allowPlainHttp(true);
    }

    private static RunReport run(S3Sink sink, int rows) {
        return Pipeline.from(new ListSource(2_000).stream("patients", SCHEMA, rows(rows)))
                .to(sink).build().run();
    }

    private List<Long> readBack(List<String> keys) {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(direct).keyring(keyring)
                .allowPlainHttp(true).build();
        List<Long> numbers = new ArrayList<>();
        for (String key : keys) {
            try (RecordReader records = reader.readRecords(bucket, key)) {
                records.forEachRemaining((ObjectNode r) -> numbers.add(r.get("n").asLong()));
            }
        }
        return numbers;
    }

    private RunReport runThrough(Fault fault, int every) {
        try (FaultyS3Proxy proxy = FaultyS3Proxy.start(emulator.endpoint(), fault, every);
                S3Client s3 = S3Emulator.s3Client(proxy.endpoint())) {
            RunReport report = run(sink(s3).build(), ROWS);
            assertThat(proxy.faultsInjected()).isGreaterThanOrEqualTo(1);
            return report;
        }
    }

    @Test
    void run_oneInFivePartsSlowDown_everyRecordDeliveredOnce() {
        RunReport report = runThrough(Fault.SLOW_DOWN, 5);

        assertThat(readBack(report.stream("patients").objectKeys()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
    }

    @Test
    void run_oneInFivePartsConnectionReset_everyRecordDeliveredOnce() {
        RunReport report = runThrough(Fault.CONNECTION_RESET, 5);

        assertThat(readBack(report.stream("patients").objectKeys()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
    }

    @Test
    void run_partsRetried_logsNamePartsButNoRecordContent() {
        String logged;
        try (CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            runThrough(Fault.SLOW_DOWN, 5);
            logged = logs.text();
        }
        String someNoise = java.util.Base64.getEncoder()
                .encodeToString((byte[]) rows(ROWS).get(41).get(1)).substring(0, 24);

        assertThat(logged).contains("part ").contains("HTTP 503 SlowDown")
                .doesNotContain(someNoise);
    }

    @Test
    void run_partFailsOnEveryAttempt_failsNamingBucketKeyAndPartAndAborts() {
        try (FaultyS3Proxy proxy = FaultyS3Proxy.start(emulator.endpoint(), Fault.SLOW_DOWN, 1);
                S3Client s3 = S3Emulator.s3Client(proxy.endpoint())) {
            S3Sink sink = sink(s3).partAttempts(3).uploadConcurrency(1).build();

            assertThatThrownBy(() -> run(sink, ROWS)).isInstanceOf(SinkException.class)
                    .hasMessageContaining("bucket '" + bucket + "', object 'exports/patients/")
                    .hasMessageContaining("part 1: upload failed after 3 attempts")
                    .hasMessageContaining("HTTP 503 SlowDown");
        }
        assertThat(direct.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
        assertThat(direct.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void run_retryBudgetSpent_failsSayingSo() {
        try (FaultyS3Proxy proxy = FaultyS3Proxy.start(emulator.endpoint(), Fault.SLOW_DOWN, 2);
                S3Client s3 = S3Emulator.s3Client(proxy.endpoint())) {
            S3Sink sink = sink(s3).partRetryBudget(0).build();

            assertThatThrownBy(() -> run(sink, ROWS)).isInstanceOf(SinkException.class)
                    .hasMessageContaining("after 1 attempt (retry budget exhausted)");
        }
        assertThat(direct.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void run_smallPartsUnderMaxObjectSize_everyObjectStaysUnderThePartLimit() {
        RunReport report = run(sink(direct).build(), ROWS);
        List<String> keys = report.stream("patients").objectKeys();

        List<Integer> parts = keys.stream().map(this::partCount).toList();

        // 12 MiB in parts of 5 MiB: three parts at most, far under S3's 10,000.
        assertThat(parts).hasSizeGreaterThanOrEqualTo(2).allMatch(n -> n >= 1 && n <= 3)
                .anyMatch(n -> n > 1);
    }

    /** A multipart object's ETag ends in {@code -<parts>}; a single PUT's has no suffix. */
    private int partCount(String key) {
        String etag = direct.headObject(r -> r.bucket(bucket).key(key)).eTag().replace("\"", "");
        return etag.contains("-") ? Integer.parseInt(etag.substring(etag.indexOf('-') + 1)) : 1;
    }
}
