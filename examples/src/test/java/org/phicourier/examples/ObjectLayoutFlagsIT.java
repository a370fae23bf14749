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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;

/** {@code jdbc-to-s3 --format --compression --key-template --max-object-bytes}, read back. */
class ObjectLayoutFlagsIT {
    @TempDir
    Path dir;
    private S3Emulator emulator;
    private String bucket;
    private String url;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void table() throws Exception {
        emulator = TestServices.emulator();
        bucket = emulator.createBucket("layout-cli");
        url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE visits (id INT, state VARCHAR(2), note VARCHAR(20))");
            statement.execute("INSERT INTO visits VALUES (1, 'NY', 'a, b'), (2, 'CA', ''),"
                    + " (3, 'NY', NULL)");
        }
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 5);
        Files.writeString(dir.resolve("master.key"), Base64.getEncoder().encodeToString(key));
    }

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private int export(String... extra) {
        List<String> args = new ArrayList<>(List.of("jdbc-to-s3", "--jdbc-url", url,
                "--tables", "visits", "--bucket", bucket, "--endpoint",
                emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("master.key").toString(), "--keep-all"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private List<String> objectKeys() throws Exception {
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        List<String> keys = new ArrayList<>();
        report.get("streams").get(0).get("objectKeys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    private String decrypt(String key) {
        assertThat(run("decrypt", "--bucket", bucket, "--key", key, "--endpoint",
                emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("master.key").toString())).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"csv,zstd,.csv.zst", "csv,gzip,.csv.gz", "csv,none,.csv",
            "jsonl,zstd,.jsonl.zst", "jsonl,none,.jsonl"})
    void jdbcToS3ThenDecrypt_formatAndCompression_plaintextInThatFormat(String format,
            String compression, String suffix) throws Exception {
        assertThat(export("--format", format, "--compression", compression)).isZero();

        String key = objectKeys().get(0);

        assertThat(key).endsWith(suffix);
        String plaintext = decrypt(key);
        if (format.equals("csv")) {
            assertThat(plaintext).isEqualTo("ID,STATE,NOTE\r\n1,NY,\"a, b\"\r\n2,CA,\"\"\r\n"
                    + "3,NY,\r\n");
        } else {
            assertThat(plaintext).startsWith("{\"ID\":1,\"STATE\":\"NY\",\"NOTE\":\"a, b\"}\n");
        }
    }

    @Test
    void jdbcToS3_keyTemplateByState_writesHivePartitions() throws Exception {
        int code = export("--key-template", "{stream}/state={value:STATE}/{runId}-{sequence}",
                "--allow-field-values-in-keys", "--format", "csv");

        assertThat(code).isZero();
        assertThat(objectKeys()).hasSize(2)
                .anySatisfy(key -> assertThat(key).startsWith("visits/state=NY/"))
                .anySatisfy(key -> assertThat(key).startsWith("visits/state=CA/"));
    }

    @Test
    void jdbcToS3_fieldTemplateWithoutAllow_exits2NamingTheSwitch() {
        int code = export("--key-template", "{stream}/state={value:STATE}/{runId}-{sequence}");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("allowFieldValuesInKeys");
    }

    @Test
    void jdbcToS3ThenDecrypt_parquet_plaintextIsAParquetFile() throws Exception {
        assertThat(export("--format", "parquet")).isZero();

        String key = objectKeys().get(0);

        assertThat(key).endsWith(".parquet");
        decrypt(key);
        byte[] file = out.toByteArray();
        byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
        assertThat(Arrays.copyOfRange(file, 0, 4)).isEqualTo(magic);
        assertThat(Arrays.copyOfRange(file, file.length - 4, file.length)).isEqualTo(magic);
    }

    @Test
    void jdbcToS3_parquetWithGzip_exits2NamingTheConflict() {
        assertThat(export("--format", "parquet", "--compression", "gzip")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("compression must be none");
    }

    @Test
    void jdbcToS3_unknownCompression_exits2() {
        assertThat(export("--compression", "lz4")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("gzip, zstd or none");
    }

    @Test
    void jdbcToS3_maxObjectBytesBelowPartSize_exits2() {
        assertThat(export("--max-object-bytes", "1000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("maxBytesPerObject");
    }
}
