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
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;

/** {@code decrypt} writes an object's plaintext only after the whole object verified. */
class DecryptCommandIT {
    @TempDir
    Path dir;
    private S3Emulator emulator;
    private String bucket;
    private String objectKey;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void writeOneObject() throws Exception {
        emulator = TestServices.emulator();
        bucket = emulator.createBucket("decrypt");
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE visits (id INT, code VARCHAR(20))");
            statement.execute("INSERT INTO visits VALUES (1, 'a'), (2, 'b')");
            Files.writeString(dir.resolve("master.key"), key(1));
            Files.writeString(dir.resolve("other.key"), key(2));
            assertThat(run("jdbc-to-s3", "--jdbc-url", url, "--tables", "visits", "--bucket",
                    bucket, "--endpoint", emulator.endpoint().toString(), "--master-key-file",
                    dir.resolve("master.key").toString(), "--keep-all")).isZero();
        }
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        objectKey = report.get("streams").get(0).get("objectKeys").get(0).asText();
    }

    private static String key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void decrypt_rightKey_printsTheJsonLines() {
        int code = run("decrypt", "--bucket", bucket, "--key", objectKey, "--endpoint",
                emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("master.key").toString());

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"ID\":1,\"CODE\":\"a\"}\n{\"ID\":2,\"CODE\":\"b\"}\n");
    }

    @Test
    void decrypt_wrongKey_exits1AndPrintsNothing() {
        int code = run("decrypt", "--bucket", bucket, "--key", objectKey, "--endpoint",
                emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("other.key").toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(objectKey, "cannot be unwrapped");
    }
}
