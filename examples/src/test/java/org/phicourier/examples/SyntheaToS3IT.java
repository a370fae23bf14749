package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.testdoubles.IndependentDecryption;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.SyntheaCsv;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The main job end to end on real input: five Synthea tables, loaded into PostgreSQL and MariaDB
 * exactly as the files hold them, go through {@code jdbc-to-s3} with masking and envelope
 * encryption into the emulator. Every object is then decrypted by a decryption written here
 * (plain JCE, and KMS called directly), not by the library's reader.
 */
class SyntheaToS3IT {
    private static final List<String> TABLES =
            List.of("patients", "encounters", "conditions", "observations", "medications");
    private static final List<String> PHI_COLUMNS =
            List.of("SSN", "FIRST", "LAST", "MAIDEN", "ADDRESS", "DRIVERS", "PASSPORT");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<Arguments> runs() {
        return Stream.of(Arguments.of("PostgreSQL", "kms"), Arguments.of("MariaDB", "local"));
    }

    @ParameterizedTest(name = "{0} with a {1} key")
    @MethodSource("runs")
    void jdbcToS3_syntheaTables_arriveWholeMaskedAndEncrypted(String database, String keyKind)
            throws Exception {
        S3Emulator emulator = TestServices.emulator();
        Map<String, SyntheaCsv> tables = readTables();
        TestDatabase server = database.equals("PostgreSQL")
                ? TestServices.postgres() : TestServices.mariadb();
        try (TestDatabase.Scratch scratch = server.createScratch();
                S3Client s3 = emulator.s3Client(); KmsClient kms = emulator.kmsClient()) {
            load(scratch, tables, database.equals("PostgreSQL") ? "\"" : "`");
            String bucket = emulator.createBucket("synthea");
            byte[] masterKey = randomKey();
            List<String> keyFlags = keyFlags(keyKind, emulator, masterKey);
            byte[] pseudonymKey = writeMaskingConfig();

            Result result = runCli(List.of("jdbc-to-s3", "--jdbc-url", scratch.url(),
                    "--user", scratch.user(), "--tables", String.join(",", TABLES),
                    "--bucket", bucket, "--prefix", "synthea", "--endpoint",
                    emulator.endpoint().toString(), "--masking-config",
                    dir.resolve("masking.json").toString()), keyFlags);

            assertThat(result.exitCode).as(result.err).isZero();
            JsonNode report = JSON.readTree(result.out);
            IndependentDecryption.Unwrap unwrap = keyKind.equals("kms")
                    ? kmsUnwrap(kms) : IndependentDecryption.localAes(masterKey);
            Map<String, Object> rules = rules();
            Set<String> phi = phiValues(tables.get("patients"));
            for (String table : TABLES) {
                JsonNode stream = streamReport(report, table);
                SyntheaCsv csv = tables.get(table);
                assertThat(stream.get("recordsRead").asLong()).isEqualTo(csv.rows().size());
                assertThat(stream.get("recordsWritten").asLong()).isEqualTo(csv.rows().size());

                List<ObjectNode> stored = new ArrayList<>();
                for (JsonNode key : stream.get("objectKeys")) {
                    ResponseBytes<GetObjectResponse> object =
                            s3.getObjectAsBytes(r -> r.bucket(bucket).key(key.asText()));
                    assertThat(text(object.asByteArray())).as("stored bytes of " + key)
                            .doesNotContain(phi);
                    String plaintext = gunzip(IndependentDecryption.decrypt(
                            object.response().metadata(), object.asByteArray(), unwrap));
                    assertThat(plaintext).as("decrypted " + key).doesNotContain(phi);
                    for (String line : plaintext.split("\n")) {
                        stored.add((ObjectNode) JSON.readTree(line));
                    }
                }
                assertThat(stored).as(table).containsExactlyInAnyOrderElementsOf(
                        expectedMasked(csv, ruleMap(rules, table), pseudonymKey));
            }
            Set<String> sourceValues = sourceValues(tables);
            assertThat(standingAlone(result.logs, sourceValues)).as("values in the logs").isEmpty();
            assertThat(standingAlone(result.err, sourceValues)).as("values on stderr").isEmpty();
            assertThat(result.out).as("standard output").doesNotContain(phi);
        }
    }

    /** What one CLI run printed and logged. */
    private record Result(int exitCode, String out, String err, String logs) {
    }

    private static Result runCli(List<String> args, List<String> keyFlags) {
        List<String> all = new ArrayList<>(args);
        all.addAll(keyFlags);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        String logs;
        // Every logger at TRACE but the MariaDB driver's packet dumps, which the JDBC source
        // refuses to run beside (JdbcSourceIT shows the refusal).
        try (CapturedLogs captured = CapturedLogs.everythingAtTrace()
                .withLevel("org.mariadb.jdbc.client.socket", "DEBUG")) {
            code = Main.run(all.toArray(String[]::new), new PrintStream(out, true),
                    new PrintStream(err, true));
            logs = captured.text();
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8), logs);
    }

    private List<String> keyFlags(String keyKind, S3Emulator emulator, byte[] masterKey)
            throws Exception {
        if (keyKind.equals("kms")) {
            return List.of("--kms-key-id", emulator.createKmsKey());
        }
        Path file = dir.resolve("master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(masterKey) + "\n");
        return List.of("--master-key-file", file.toString());
    }

    private static IndependentDecryption.Unwrap kmsUnwrap(KmsClient kms) {
        return (wrapped, metadata) -> {
            Map<String, String> context = new HashMap<>();
            JSON.readTree(metadata.get("x-amz-t")).properties()
                    .forEach(e -> context.put(e.getKey(), e.getValue().asText()));
            return kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(context)).plaintext().asByteArray();
        };
    }

    private byte[] writeMaskingConfig() throws Exception {
        byte[] key = randomKey();
        Files.writeString(dir.resolve("pseudonym.key"),
                Base64.getEncoder().encodeToString(key) + "\n");
        try (InputStream config = getClass().getResourceAsStream("/synthea-masking.json")) {
            Files.write(dir.resolve("masking.json"), config.readAllBytes());
        }
        return key;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new Random().nextBytes(key);
        return key;
    }

    private static Map<String, SyntheaCsv> readTables() throws Exception {
        Map<String, SyntheaCsv> tables = new LinkedHashMap<>();
        for (String table : TABLES) {
            tables.put(table, SyntheaCsv.read(
                    TestServices.sharedData().resolve("synthea-csv/" + table + ".csv")));
        }
        return tables;
    }

    private static void load(TestDatabase.Scratch scratch, Map<String, SyntheaCsv> tables,
            String quote) throws Exception {
        try (Connection connection = scratch.connect()) {
            for (Map.Entry<String, SyntheaCsv> table : tables.entrySet()) {
                table.getValue().load(connection, table.getKey(), quote);
            }
        }
    }

    private Map<String, Object> rules() throws Exception {
        return JSON.readValue(dir.resolve("masking.json").toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> ruleMap(Map<String, Object> rules, String table) {
        return ((Map<String, Map<String, String>>) rules.get("streams")).get(table);
    }

    /** Masks the CSV rows as the configuration says, computing pseudonyms here. */
    private static List<ObjectNode> expectedMasked(SyntheaCsv csv, Map<String, String> rules,
            byte[] key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        List<ObjectNode> expected = new ArrayList<>();
        for (List<String> row : csv.rows()) {
            ObjectNode node = JSON.createObjectNode();
            for (int i = 0; i < row.size(); i++) {
                String column = csv.header().get(i);
                switch (rules.get(column)) {
                    case "keep" -> node.put(column, row.get(i));
                    case "redact" -> node.put(column, "[REDACTED]");
                    case "pseudonymize" -> node.put(column, pseudonym(mac, row.get(i)));
                    default -> { }
                }
            }
            expected.add(node);
        }
        return expected;
    }

    private static String pseudonym(Mac mac, String value) {
        mac.update("phi-courier/pseudonym/v1\u0000".getBytes(StandardCharsets.US_ASCII));
        byte[] digest = mac.doFinal(Normalizer.normalize(value.strip(), Normalizer.Form.NFC)
                .getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static Set<String> phiValues(SyntheaCsv patients) {
        Set<String> values = new TreeSet<>();
        for (String column : PHI_COLUMNS) {
            patients.column(column).stream().filter(v -> v.length() >= 4).forEach(values::add);
        }
        return values;
    }

    /** Every distinct source value long enough not to occur by chance in a log line. */
    private static Set<String> sourceValues(Map<String, SyntheaCsv> tables) {
        Set<String> values = new TreeSet<>();
        tables.values().forEach(csv -> csv.rows().forEach(row -> row.stream()
                .filter(v -> v.length() >= 6).forEach(values::add)));
        return values;
    }

    /**
     * Finds the values that occur in a text other than inside a longer run of letters and
     * digits: a code such as 198405 may occur by chance inside a hexadecimal digest that a
     * library logs at TRACE, which is no leak.
     */
    private static List<String> standingAlone(String text, Set<String> values) {
        List<String> found = new ArrayList<>();
        for (String value : values) {
            for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
                if (!alphanumericAt(text, at - 1) && !alphanumericAt(text, at + value.length())) {
                    found.add(value);
                    break;
                }
            }
        }
        return found;
    }

    private static boolean alphanumericAt(String text, int index) {
        return index >= 0 && index < text.length()
                && Character.isLetterOrDigit(text.charAt(index));
    }

    private static JsonNode streamReport(JsonNode report, String table) {
        for (JsonNode stream : report.get("streams")) {
            if (stream.get("stream").asText().equals(table)) {
                return stream;
            }
        }
        throw new AssertionError("no report for " + table);
    }

    private static String gunzip(byte[] bytes) throws Exception {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
