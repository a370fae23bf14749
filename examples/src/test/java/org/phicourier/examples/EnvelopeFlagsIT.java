package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
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
 * The envelope flags of the CLI against the emulator: {@code --rsa-key-file},
 * {@code --format-version v2|v3} and {@code --instruction-file} on {@code jdbc-to-s3} and
 * {@code decrypt}, and the {@code rewrap} command with and without {@code --dry-run}.
 */
class EnvelopeFlagsIT {
    private static final String EXPECTED = "{\"ID\":1,\"CODE\":\"a\"}\n{\"ID\":2,\"CODE\":\"b\"}\n";

    @TempDir
    Path dir;
    private S3Emulator emulator;
    private String bucket;
    private String url;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void prepare() throws Exception {
        emulator = TestServices.emulator();
        bucket = emulator.createBucket("flags");
        url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE visits (id INT, code VARCHAR(20))");
            statement.execute("INSERT INTO visits VALUES (1, 'a'), (2, 'b')");
        }
        Files.writeString(dir.resolve("a.key"), aesKey(1));
        Files.writeString(dir.resolve("b.key"), aesKey(2));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate()
                        .getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void rsaV2InstructionFile_writtenAndDecryptedWithTheSameFlags() throws Exception {
        String key = export("p1", "--rsa-key-file", file("rsa.pem"), "--format-version", "v2",
                "--instruction-file");

        assertThat(decrypt(key, "--rsa-key-file", file("rsa.pem"), "--format-version", "v2",
                "--instruction-file")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
        assertThat(emulator.s3Client().headObject(r -> r.bucket(bucket)
                .key(key + ".instruction")).contentLength()).isPositive();
    }

    @Test
    void decrypt_v2ObjectWithoutFormatFlag_isRefusedByTheCommitmentPolicy() throws Exception {
        String key = export("p2", "--master-key-file", file("a.key"), "--format-version", "v2");

        assertThat(decrypt(key, "--master-key-file", file("a.key"))).isEqualTo(1);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(key, "commitment policy");
    }

    @Test
    void formatVersion_unknownValue_isAUsageError() {
        assertThat(run("decrypt", "--bucket", bucket, "--key", "k", "--master-key-file",
                file("a.key"), "--format-version", "v4")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("v2 or v3");
    }

    @Test
    void rewrap_dryRunThenRun_movesObjectsFromKeyAToKeyB() throws Exception {
        String key = export("p3", "--master-key-file", file("a.key"));

        assertThat(rewrap("--dry-run")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WOULD_REWRAP " + key);
        assertThat(decrypt(key, "--master-key-file", file("a.key"))).isZero();

        assertThat(rewrap()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("REWRAPPED " + key)
                .contains("\"REWRAPPED\":1");
        assertThat(decrypt(key, "--master-key-file", file("b.key"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
        assertThat(decrypt(key, "--master-key-file", file("a.key"))).isEqualTo(1);
    }

    @Test
    void rewrap_withAuditUri_recordsEachObjectInAChainThatVerifies() throws Exception {
        String key = export("p3", "--master-key-file", file("a.key"));
        Path trail = dir.resolve("audit.jsonl");

        assertThat(rewrap("--audit-uri", "file:" + trail, "--actor", "key-custodian")).isZero();

        List<String> lines = Files.readAllLines(trail);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("\"type\":\"KEY_REWRAPPED\"", key,
                "\"outcome\":\"REWRAPPED\"", "key-custodian");
        assertThat(run("audit-verify", "--audit-uri", "file:" + trail)).isZero();
    }

    @Test
    void rewrap_actorWithoutAuditUri_isAUsageError() {
        assertThat(rewrap("--actor", "key-custodian")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--audit-uri");
    }

    @Test
    void rewrap_missingTargetKey_isAUsageError() {
        assertThat(run("rewrap", "--bucket", bucket, "--from-master-key-file", file("a.key")))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--to-kms-key-id");
    }

    private String export(String prefix, String... keyFlags) throws Exception {
        List<String> args = new ArrayList<>(List.of("jdbc-to-s3", "--jdbc-url", url, "--tables",
                "visits", "--bucket", bucket, "--prefix", prefix, "--endpoint", endpoint(),
                "--keep-all"));
        args.addAll(Arrays.asList(keyFlags));
        assertThat(run(args.toArray(String[]::new))).as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        return report.get("streams").get(0).get("objectKeys").get(0).asText();
    }

    private int decrypt(String key, String... flags) {
        List<String> args = new ArrayList<>(List.of("decrypt", "--bucket", bucket, "--key", key,
                "--endpoint", endpoint()));
        args.addAll(Arrays.asList(flags));
        return run(args.toArray(String[]::new));
    }

    private int rewrap(String... flags) {
        List<String> args = new ArrayList<>(List.of("rewrap", "--bucket", bucket, "--prefix",
                "p3", "--endpoint", endpoint(), "--from-master-key-file", file("a.key"),
                "--to-master-key-file", file("b.key")));
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

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private static String aesKey(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }
}
