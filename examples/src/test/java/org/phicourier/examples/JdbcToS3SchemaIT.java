package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/** The schema flags of {@code jdbc-to-s3}: rules, violation and drift policies, exit codes. */
class JdbcToS3SchemaIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private S3Emulator emulator;
    private String bucket;
    private TestDatabase.Scratch scratch;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        emulator = TestServices.emulator();
        bucket = emulator.createBucket("schema-flags");
        scratch = TestServices.postgres().createScratch();
        scratch.execute("CREATE TABLE people (id BIGINT PRIMARY KEY, seen TIMESTAMP NOT NULL,"
                + " ssn TEXT)", "INSERT INTO people VALUES (1, '2026-01-01', '999-10-0001'),"
                + " (2, '2026-01-02', 'Okafor'), (3, '2026-01-03', '999-10-0003')");
        Files.writeString(dir.resolve("master.key"),
                Base64.getEncoder().encodeToString(new byte[32]));
        Files.writeString(dir.resolve("rules.json"), "{\"rules\": [{\"field\": \"ssn\","
                + " \"pattern\": \"\\\\d{3}-\\\\d{2}-\\\\d{4}\"}]}");
    }

    @AfterEach
    void tearDown() throws Exception {
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                .doesNotContain("Okafor");
        scratch.close();
    }

    private int run(String... more) {
        List<String> args = new ArrayList<>(List.of("jdbc-to-s3", "--jdbc-url", scratch.url(),
                "--user", scratch.user(), "--tables", "people", "--bucket", bucket,
                "--endpoint", emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("master.key").toString(), "--keep-all"));
        args.addAll(List.of(more));
        out.reset();
        err.reset();
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true),
                new PrintStream(err, true));
    }

    private JsonNode report() throws Exception {
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void run_violationUnderQuarantine_deliversTheRestAndCountsTheRule() throws Exception {
        int code = run("--schema-rules", dir.resolve("rules.json").toString(),
                "--on-violation", "quarantine");

        assertThat(code).isZero();
        JsonNode stream = report().get("streams").get(0);
        assertThat(stream.get("recordsWritten").asLong()).isEqualTo(2);
        assertThat(stream.get("counters").get("schema.violations.ssn.pattern").asLong())
                .isEqualTo(1);
        try (S3Client s3 = emulator.s3Client()) {
            assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("people.quarantine/"))
                    .contents()).isNotEmpty();
        }
    }

    @Test
    void run_violationUnderStop_exitsOneNamingRuleAndRow() {
        int code = run("--schema-rules", dir.resolve("rules.json").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("field 'ssn', row 2: rule 'ssn.pattern' violated");
    }

    @Test
    void run_columnAddedUnderDriftStop_exitsOneOnTheSecondRun() throws Exception {
        String state = dir.resolve("state.json").toString();
        assertThat(run("--state-file", state, "--mode", "incremental", "--cursor",
                "people=seen", "--on-drift", "stop")).isZero();
        scratch.execute("ALTER TABLE people ADD COLUMN email TEXT");

        int code = run("--state-file", state, "--mode", "incremental", "--cursor", "people=seen",
                "--on-drift", "stop");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("field 'email' added");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--on-violation quarantine|--on-violation needs --schema-rules",
        "--schema-rules RULES --on-violation pass|--on-violation must be stop, quarantine or null",
        "--on-drift evolve|--on-drift needs --state-file or --state-uri",
        "--state-file s.json --on-drift keep|--on-drift must be evolve, stop, drop or quarantine",
        "--out-of-range zero|--out-of-range must be fail, null or text",
        "--schema-rules MISSING|cannot be read as JSON"})
    void run_badSchemaFlags_exitsTwo(String flags, String message) {
        String[] args = flags.replace("RULES", dir.resolve("rules.json").toString())
                .replace("MISSING", dir.resolve("missing.json").toString()).split(" ");

        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    }
}
