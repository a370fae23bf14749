package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.StreamReport;
import org.phicourier.audit.FileAuditSink;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.files.FhirFileSource;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.metrics.CommittedObject;
import org.phicourier.metrics.RunListener;
import org.phicourier.s3.S3Sink;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.SyntheaCsv;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The PHI leak suite: whole runs over the shared Synthea tables (in PostgreSQL) and FHIR files,
 * successful and failing (bad input, a schema violation, a missing bucket, S3 stopping mid-run),
 * with every logger at TRACE. Everything a run leaves outside its encrypted objects is collected:
 * standard output and error (run report, progress, error messages), all log lines with their
 * exception chains, the audit trail, the stored run reports and manifests, the object keys, the
 * arguments every listener hook received, and the exceptions thrown. None may hold a PHI value of
 * the input standing alone.
 */
class PhiLeakSuiteIT {
    private static final List<String> TABLES =
            List.of("patients", "encounters", "conditions", "observations", "medications");
    private static final String BAD_DATE = "Quixotic-Deathdate-Secret";

    private static Map<String, SyntheaCsv> tables;
    private static Set<String> phi;
    private static TestDatabase.Scratch scratch;
    private static S3Emulator emulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        tables = new LinkedHashMap<>();
        for (String table : TABLES) {
            tables.put(table, SyntheaCsv.read(
                    TestServices.sharedData().resolve("synthea-csv/" + table + ".csv")));
        }
        phi = new TreeSet<>(PhiValues.ofCsv(tables.values()));
        phi.add(BAD_DATE);
        phi.addAll(PhiValues.ofFhirPatients(fhirPatients()));
        scratch = TestServices.postgres().createScratch();
        try (Connection connection = scratch.connect()) {
            for (Map.Entry<String, SyntheaCsv> table : tables.entrySet()) {
                table.getValue().load(connection, table.getKey(), "\"");
            }
        }
        scratch.execute("CREATE TABLE bad_patients AS SELECT * FROM patients",
                "UPDATE bad_patients SET \"DEATHDATE\" = '" + BAD_DATE + "'");
        emulator = TestServices.emulator();
    }

    @AfterAll
    static void drop() throws Exception {
        scratch.close();
    }

    private static Path fhirPatients() {
        return TestServices.sharedData().resolve("fhir-r4/bulk-ndjson/Patient.000.ndjson");
    }

    /** Everything a run left outside its encrypted objects, as one text. */
    private static final class Evidence {
        private final StringBuilder text = new StringBuilder();

        Evidence add(String what, String content) {
            text.append("\n--- ").append(what).append('\n').append(content);
            return this;
        }

        Evidence addThrowable(Throwable thrown) {
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                add("exception", t.getClass().getName() + ": " + t.getMessage() + " "
                        + t);
                for (Throwable suppressed : t.getSuppressed()) {
                    addThrowable(suppressed);
                }
            }
            return this;
        }

        Evidence addFile(Path file) throws Exception {
            return Files.exists(file) ? add(file.toString(), Files.readString(file)) : this;
        }

        /** Adds every key under the bucket, and the reports and manifests stored there. */
        Evidence addBucket(String bucket) {
            try (S3Client s3 = emulator.s3Client()) {
                for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket))
                        .contents()) {
                    add("key", object.key());
                    if (object.key().contains("_reports/") || object.key().contains(
                            "_manifests/")) {
                        add(object.key(), s3.getObjectAsBytes(r -> r.bucket(bucket)
                                .key(object.key())).asUtf8String());
                    }
                }
            }
            return this;
        }

        void assertNoPhi() {
            assertThat(PhiValues.standingAlone(text.toString(), phi))
                    .as("PHI values found outside the encrypted objects").isEmpty();
        }
    }

    /** Records the arguments of every hook, as a metrics binding would see them. */
    private static final class RecordingListener implements RunListener {
        private final StringBuilder heard = new StringBuilder();

        @Override
        public void onStreamStarted(String stream, OptionalLong expectedRecords) {
            heard.append(stream).append(expectedRecords).append('\n');
        }

        @Override
        public void onBatch(String stream, int read, int written) {
            heard.append(stream).append(read).append(written).append('\n');
        }

        @Override
        public void onObjectCommitted(CommittedObject object) {
            heard.append(object).append('\n');
        }

        @Override
        public void onStreamFinished(StreamReport report) {
            heard.append(report).append('\n');
        }

        @Override
        public void onRunFinished(RunReport report) {
            heard.append(report).append(report.toJson()).append('\n');
        }

        @Override
        public void onRunFailed(String runId, RuntimeException failure) {
            heard.append(runId).append(failure).append('\n');
        }
    }

    private Path masterKey() throws Exception {
        byte[] key = new byte[32];
        new Random().nextBytes(key);
        Path file = dir.resolve("master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        return file;
    }

    private Path maskingConfig() throws Exception {
        byte[] key = new byte[32];
        new Random().nextBytes(key);
        Files.writeString(dir.resolve("pseudonym.key"),
                Base64.getEncoder().encodeToString(key) + "\n");
        try (InputStream config = getClass().getResourceAsStream("/synthea-masking.json")) {
            Files.write(dir.resolve("masking.json"), config.readAllBytes());
        }
        return dir.resolve("masking.json");
    }

    /** Runs the CLI with every logger at TRACE and returns its exit code. */
    private int cli(Evidence evidence, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            code = Main.run(args.toArray(String[]::new), new PrintStream(out, true),
                    new PrintStream(err, true));
            evidence.add("logs", logs.text());
        }
        evidence.add("stdout", out.toString(StandardCharsets.UTF_8))
                .add("stderr", err.toString(StandardCharsets.UTF_8));
        return code;
    }

    private List<String> jdbcToS3(String bucket, String tableList, String... more)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("jdbc-to-s3", "--jdbc-url", scratch.url(),
                "--user", scratch.user(), "--tables", tableList, "--bucket", bucket,
                "--prefix", "synthea", "--endpoint", emulator.endpoint().toString(),
                "--master-key-file", masterKey().toString(), "--audit-uri",
                "file:" + dir.resolve("audit.jsonl"), "--actor", "leak-suite"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void jdbcToS3_syntheaWithStateAuditAndProgress_leavesNoPhiOutside() throws Exception {
        String bucket = emulator.createBucket("leak");
        Evidence evidence = new Evidence();

        int code = cli(evidence, jdbcToS3(bucket, String.join(",", TABLES), "--masking-config",
                maskingConfig().toString(), "--state-file", dir.resolve("state.json")
                        .toString(), "--progress", "--max-records-per-object", "100"));

        evidence.addFile(dir.resolve("audit.jsonl")).addFile(dir.resolve("state.json"))
                .addBucket(bucket);
        assertThat(code).isZero();
        assertThat(FileAuditSink.of(dir.resolve("audit.jsonl")).verify().valid()).isTrue();
        assertThat(phi).contains(tables.get("patients").column("SSN").get(0))
                .hasSizeGreaterThan(1000);
        evidence.assertNoPhi();
    }

    @Test
    void jdbcToS3_schemaViolation_failsNamingFieldAndRowWithoutTheValue() throws Exception {
        String bucket = emulator.createBucket("leak");
        Evidence evidence = new Evidence();
        Files.writeString(dir.resolve("deid.key"), Base64.getEncoder().encodeToString(
                new byte[32]));

        int code = cli(evidence, jdbcToS3(bucket, "bad_patients", "--preset", "safe-harbor",
                "--deid-key-file", dir.resolve("deid.key").toString()));

        evidence.addFile(dir.resolve("audit.jsonl")).addBucket(bucket);
        assertThat(code).as(evidence.text.toString()).isEqualTo(1);
        assertThat(evidence.text.toString()).contains("stream 'bad_patients', field"
                + " 'DEATHDATE', row 1");
        evidence.assertNoPhi();
    }

    @Test
    void jdbcToS3_fieldWithoutMaskingRule_failsBeforeReadingWithoutValues() throws Exception {
        String bucket = emulator.createBucket("leak");
        Evidence evidence = new Evidence();

        int code = cli(evidence, jdbcToS3(bucket, "patients,bad_patients", "--masking-config",
                maskingConfig().toString()));

        evidence.addFile(dir.resolve("audit.jsonl")).addBucket(bucket);
        assertThat(code).isEqualTo(2);
        assertThat(evidence.text.toString()).contains("PREFLIGHT_FINDING");
        evidence.assertNoPhi();
    }

    @Test
    void jdbcToS3_bucketMissing_failsWithoutValues() throws Exception {
        Evidence evidence = new Evidence();

        int code = cli(evidence, jdbcToS3("no-such-bucket-" + System.nanoTime(),
                String.join(",", TABLES), "--keep-all"));

        evidence.addFile(dir.resolve("audit.jsonl"));
        assertThat(code).isEqualTo(2);
        evidence.assertNoPhi();
    }

    @Test
    void pipeline_s3StopsMidRun_failsWithoutValues() throws Exception {
        Evidence evidence = new Evidence();
        RecordingListener heard = new RecordingListener();
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        S3Emulator own = S3Emulator.start();
        try (S3Client s3 = own.s3Client();
                JdbcSource source = JdbcSource.builder().jdbcUrl(scratch.url())
                        .user(scratch.user()).table("observations").table("encounters")
                        .batchSize(50).build();
                CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            String bucket = own.createBucket("leak");
            S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket)
                    .keyring(LocalAesKeyring.of(new byte[32])).maxRecordsPerObject(100)
                    .allowPlainHttp(true).build();
            RunListener stopper = new RunListener() {
                @Override
                public void onObjectCommitted(CommittedObject object) {
                    own.close();
                }
            };
            Pipeline pipeline = Pipeline.from(source).to(sink).audit(audit).actor("leak-suite")
                    .listener(heard).listener(stopper).build();

            assertThatThrownBy(pipeline::run).satisfies(evidence::addThrowable);
            evidence.add("logs", logs.text());
        } finally {
            own.close();
        }
        evidence.add("listener", heard.heard.toString()).addFile(dir.resolve("audit.jsonl"));
        assertThat(evidence.text.toString()).contains("RUN_FINISHED", "FAILED");
        evidence.assertNoPhi();
    }

    @Test
    void pipeline_fhirFilesToS3_leavesNoPhiOutside() throws Exception {
        String bucket = emulator.createBucket("leak-fhir");
        Evidence evidence = new Evidence();
        RecordingListener heard = new RecordingListener();
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        Path data = TestServices.sharedData().resolve("fhir-r4/bulk-ndjson");
        try (S3Client s3 = emulator.s3Client();
                FhirFileSource source = FhirFileSource.of(fhirPatients(),
                        data.resolve("Encounter.000.ndjson"));
                CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).prefix("fhir")
                    .keyring(LocalAesKeyring.of(new byte[32])).allowPlainHttp(true).build();

            RunReport report = Pipeline.from(source).to(sink).audit(audit).actor("leak-suite")
                    .listener(heard).build().run();

            evidence.add("logs", logs.text()).add("report", report.toJson());
        }
        evidence.add("listener", heard.heard.toString()).addFile(dir.resolve("audit.jsonl"))
                .addBucket(bucket);
        evidence.assertNoPhi();
    }

    @Test
    void pipeline_fhirFileWithABadLine_failsNamingTheLineWithoutIt() throws Exception {
        Path bad = dir.resolve("Patient.bad.ndjson");
        String first = Files.readAllLines(fhirPatients()).get(0);
        Files.writeString(bad, first + "\n" + first.substring(0, first.length() / 2) + "\n");
        Evidence evidence = new Evidence();
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        try (S3Client s3 = emulator.s3Client(); FhirFileSource source = FhirFileSource.of(bad);
                CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            S3Sink sink = S3Sink.builder().s3Client(s3).bucket(emulator.createBucket("leak"))
                    .keyring(LocalAesKeyring.of(new byte[32])).allowPlainHttp(true).build();
            Pipeline pipeline = Pipeline.from(source).to(sink).audit(audit).actor("leak-suite")
                    .build();

            assertThatThrownBy(pipeline::run).hasMessageContaining("line 2")
                    .satisfies(evidence::addThrowable);
            evidence.add("logs", logs.text());
        }
        evidence.addFile(dir.resolve("audit.jsonl"));
        evidence.assertNoPhi();
    }
}
