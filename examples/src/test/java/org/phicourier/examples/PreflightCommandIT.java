package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;

/**
 * The {@code preflight} command and {@code --allow-noncompliant-bucket} against the emulator:
 * JSON findings and exit codes 0 (compliant), 1 (not), 2 (usage); writing commands refuse a bare
 * bucket unless allowed.
 */
class PreflightCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private S3Emulator emulator;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void prepare() {
        emulator = TestServices.emulator();
    }

    @Test
    void preflight_compliantBucket_exitsZeroWithTlsWaivedForTheEmulator() throws Exception {
        String bucket = emulator.createBucket("preflight-ok");

        assertThat(run("preflight", "--bucket", bucket, "--endpoint", endpoint())).isZero();
        JsonNode result = JSON.readTree(out.toString(StandardCharsets.UTF_8));

        assertThat(result.get("compliant").asBoolean()).isTrue();
        assertThat(result.get("findings")).isEmpty();
        assertThat(result.get("waived").get(0).get("requirement").asText())
                .isEqualTo("TLS_REQUIRED");
    }

    @Test
    void preflight_bareBucket_exitsOneListingEveryFinding() throws Exception {
        String bucket = emulator.createBareBucket("preflight-bare");

        assertThat(run("preflight", "--bucket", bucket, "--endpoint", endpoint())).isEqualTo(1);
        JsonNode result = JSON.readTree(out.toString(StandardCharsets.UTF_8));

        assertThat(result.get("compliant").asBoolean()).isFalse();
        assertThat(result.get("findings").findValuesAsText("requirement")).containsExactly(
                "PUBLIC_ACCESS_BLOCKED", "DEFAULT_ENCRYPTION", "VERSIONING");
    }

    @Test
    void preflight_noBucketFlag_exitsTwo() {
        assertThat(run("preflight", "--endpoint", endpoint())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--bucket is required");
    }

    @Test
    void preflight_missingBucket_exitsTwo() {
        assertThat(run("preflight", "--bucket", "no-such-bucket-" + UUID.randomUUID(),
                "--endpoint", endpoint())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
    }

    @Test
    void jdbcToS3_bareBucket_refusedNamingTheFindings() throws Exception {
        String bucket = emulator.createBareBucket("write-bare");

        assertThat(export(bucket)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not fit for PHI",
                "PUBLIC_ACCESS_BLOCKED", "DEFAULT_ENCRYPTION", "VERSIONING");
        assertThat(emulator.s3Client().listObjectsV2(r -> r.bucket(bucket)).contents())
                .isEmpty();
    }

    @Test
    void jdbcToS3_bareBucketWithAllowSwitch_writes() throws Exception {
        String bucket = emulator.createBareBucket("write-allowed");

        assertThat(export(bucket, "--allow-noncompliant-bucket"))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("streams").get(0)
                .get("recordsWritten").asLong()).isEqualTo(2);
    }

    private int export(String bucket, String... flags) throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE visits (id INT, code VARCHAR(20))");
            statement.execute("INSERT INTO visits VALUES (1, 'a'), (2, 'b')");
        }
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        Path keyFile = dir.resolve("a.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key));
        List<String> args = new ArrayList<>(List.of("jdbc-to-s3", "--jdbc-url", url, "--tables",
                "visits", "--bucket", bucket, "--endpoint", endpoint(), "--keep-all",
                "--master-key-file", keyFile.toString()));
        args.addAll(Arrays.asList(flags));
        return run(args.toArray(String[]::new));
    }

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String endpoint() {
        return emulator.endpoint().toString();
    }
}
