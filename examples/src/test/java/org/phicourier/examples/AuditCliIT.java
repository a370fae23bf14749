package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code --audit-uri}, {@code --actor} and {@code audit-verify}: a run's trail verifies (exit 0);
 * a trail with an event removed or edited fails (exit 1) naming the first bad event.
 */
class AuditCliIT {
    @TempDir
    Path dir;
    private S3Emulator emulator;
    private String bucket;
    private String h2;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        emulator = TestServices.emulator();
        bucket = emulator.createBucket("audit-cli");
        h2 = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(h2);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE patients AS SELECT X AS id,"
                    + " CONCAT('Name', X) AS name FROM SYSTEM_RANGE(1, 30)");
        }
        Files.writeString(dir.resolve("master.key"),
                Base64.getEncoder().encodeToString(new byte[32]));
    }

    private int cli(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private int copy(String auditUri) {
        return cli("jdbc-to-s3", "--jdbc-url", h2, "--tables", "patients", "--bucket", bucket,
                "--endpoint", emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("master.key").toString(), "--keep-all", "--audit-uri", auditUri,
                "--actor", "nightly-etl", "--max-records-per-object", "10");
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void auditVerify_fileTrailOfTwoRuns_exitsZero() {
        String trail = "file:" + dir.resolve("audit.jsonl");
        assertThat(copy(trail)).as(stderr()).isZero();
        assertThat(copy(trail)).as(stderr()).isZero();

        int code = cli("audit-verify", "--audit-uri", trail);

        assertThat(code).as(stderr()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("audit chain valid");
    }

    @Test
    void auditVerify_fileTrailWithAnEventRemoved_exitsOneNamingIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        assertThat(copy("file:" + file)).as(stderr()).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(2);
        Files.write(file, lines);

        int code = cli("audit-verify", "--audit-uri", "file:" + file);

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).contains("broken at line 3", "expected event 2");
    }

    @Test
    void auditVerify_s3TrailWithAnEventEdited_exitsOneNamingItsKey() {
        String trail = "s3://" + bucket + "/audit/nightly";
        assertThat(copy(trail)).as(stderr()).isZero();
        String key = "audit/nightly/00000000000000000001.json";
        try (S3Client s3 = emulator.s3Client()) {
            String json = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
            s3.putObject(r -> r.bucket(bucket).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromString(
                            json.replace("nightly-etl", "someone-else")));
        }

        int code = cli("audit-verify", "--audit-uri", trail, "--endpoint",
                emulator.endpoint().toString());

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).contains(key, "was changed");
    }

    @Test
    void jdbcToS3_auditToS3_recordsEveryObjectForTheActor() {
        String trail = "s3://" + bucket + "/audit/nightly";

        assertThat(copy(trail)).as(stderr()).isZero();

        assertThat(cli("audit-verify", "--audit-uri", trail, "--endpoint",
                emulator.endpoint().toString())).isZero();
        // Started, three objects of ten records, the stream read, finished.
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid: 6 events");
    }

    @Test
    void jdbcToS3_actorWithoutAuditUri_isAUsageError() {
        int code = cli("jdbc-to-s3", "--jdbc-url", h2, "--tables", "patients", "--bucket",
                bucket, "--endpoint", emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("master.key").toString(), "--keep-all", "--actor", "x");

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).contains("--actor needs --audit-uri");
    }
}
