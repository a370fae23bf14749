package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bad input ends a {@code jdbc-to-s3} run with a clear error that names the stream, the field and
 * the row where relevant, never a value, and leaves no object (and no unfinished upload) behind.
 */
class JdbcToS3BadInputIT {
    private static final String SSN = "999-55-1234";

    @TempDir
    Path dir;
    private S3Emulator emulator;
    private S3Client s3;
    private String bucket;
    private String h2;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        bucket = emulator.createBucket("bad-input");
        h2 = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(h2);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE patients (id INT, ssn VARCHAR(11))");
            statement.execute("INSERT INTO patients VALUES (1, '" + SSN + "')");
        }
        Files.writeString(dir.resolve("master.key"),
                Base64.getEncoder().encodeToString(new byte[32]));
    }

    @AfterEach
    void nothingLeftBehind() {
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                .doesNotContain(SSN);
        s3.close();
    }

    private int run(String url, String tables, String... more) {
        List<String> args = new ArrayList<>(List.of("jdbc-to-s3", "--jdbc-url", url,
                "--tables", tables, "--bucket", bucket, "--endpoint",
                emulator.endpoint().toString()));
        args.addAll(List.of(more));
        if (!args.contains("--kms-key-id") && !args.contains("--master-key-file")) {
            args.addAll(List.of("--master-key-file", dir.resolve("master.key").toString()));
        }
        if (!args.contains("--masking-config")) {
            args.add("--keep-all");
        }
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true),
                new PrintStream(err, true));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path maskingConfig(String rules) throws Exception {
        Path config = dir.resolve("masking.json");
        Files.writeString(config, "{\"streams\": {\"patients\": {" + rules + "}}}");
        return config;
    }

    @Test
    void missingTable_exits2NamingTheStream() {
        assertThat(run(h2, "patients,visits")).isEqualTo(2);
        assertThat(err()).contains("stream 'visits': table 'visits' does not exist");
    }

    @Test
    void columnWithoutMaskingRule_exits2NamingStreamAndField() throws Exception {
        Path config = maskingConfig("\"id\": \"keep\"");

        assertThat(run(h2, "patients", "--masking-config", config.toString())).isEqualTo(2);
        assertThat(err()).contains("stream 'patients', field 'SSN' has no masking rule");
    }

    @Test
    void maskingRuleForUnknownColumn_exits2NamingIt() throws Exception {
        Path config = maskingConfig("\"id\": \"keep\", \"ssn\": \"redact\", \"mrn\": \"drop\"");

        assertThat(run(h2, "patients", "--masking-config", config.toString())).isEqualTo(2);
        assertThat(err()).contains("stream 'patients': the masking rule for 'mrn' matches no"
                + " field");
    }

    @Test
    void unsupportedColumnType_exits2NamingStreamFieldAndType() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE shapes (id INT, spot POINT)");

            assertThat(run(scratch.url(), "shapes", "--user", scratch.user())).isEqualTo(2);
            assertThat(err()).contains("stream 'shapes', field 'spot': unsupported column type"
                    + " 'point'");
        }
    }

    @Test
    void undecodableValueMidStream_exits1NamingStreamFieldAndRow() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE amounts (id INT, amount NUMERIC)",
                    "INSERT INTO amounts SELECT g, g FROM generate_series(1, 2999) g",
                    "INSERT INTO amounts VALUES (3000, 'NaN')");

            assertThat(run(scratch.url(), "amounts", "--user", scratch.user())).isEqualTo(1);
            assertThat(err()).contains("stream 'amounts', field 'amount', row 3000: the value"
                    + " cannot be read as DECIMAL");
        }
    }

    @Test
    void unreachableEndpoint_exits1() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        List<String> args = List.of("jdbc-to-s3", "--jdbc-url", h2, "--tables", "patients",
                "--bucket", bucket, "--endpoint", "http://127.0.0.1:" + closed,
                "--master-key-file", dir.resolve("master.key").toString(), "--keep-all");

        assertThat(Main.run(args.toArray(String[]::new), new PrintStream(out, true),
                new PrintStream(err, true))).isEqualTo(1);
        assertThat(err()).contains("S3 is unreachable");
    }

    @Test
    void missingBucket_exits2() {
        String missing = "missing-" + bucket;
        List<String> args = List.of("jdbc-to-s3", "--jdbc-url", h2, "--tables", "patients",
                "--bucket", missing, "--endpoint", emulator.endpoint().toString(),
                "--master-key-file", dir.resolve("master.key").toString(), "--keep-all");

        assertThat(Main.run(args.toArray(String[]::new), new PrintStream(out, true),
                new PrintStream(err, true))).isEqualTo(2);
        assertThat(err()).contains("bucket '" + missing + "' does not exist");
    }

    @Test
    void unknownKmsKey_exits2NamingTheKey() {
        assertThat(run(h2, "patients", "--kms-key-id", "alias/no-such-key")).isEqualTo(2);
        assertThat(err()).contains("KMS key 'alias/no-such-key'");
    }

    @Test
    void missingMasterKeyFile_exits2NamingTheFile() {
        Path missing = dir.resolve("absent.key");

        assertThat(run(h2, "patients", "--master-key-file", missing.toString())).isEqualTo(2);
        assertThat(err()).contains("cannot read master key file " + missing);
    }

    @Test
    void malformedMasterKeyFile_exits2WithoutQuotingIt() throws Exception {
        Path bad = dir.resolve("bad.key");
        Files.writeString(bad, "not-base64-secret!!");

        assertThat(run(h2, "patients", "--master-key-file", bad.toString())).isEqualTo(2);
        assertThat(err()).contains("must hold 32 bytes in Base64").doesNotContain("secret");
    }
}
