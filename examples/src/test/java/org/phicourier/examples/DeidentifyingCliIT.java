package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/**
 * {@code jdbc-to-s3 --preset safe-harbor} end to end: the shared Synthea patients and encounters
 * in PostgreSQL, the S3/KMS emulator, every object decrypted and searched for every source name,
 * SSN, licence and passport number, street address, full ZIP, birth date and patient id.
 */
class DeidentifyingCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase.Scratch scratch;
    private static final List<String> PHI = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        TestDatabase postgres = TestServices.postgres();
        Path csv = TestServices.sharedData().resolve("synthea-csv");
        scratch = postgres.createScratch();
        try (Connection connection = scratch.connect()) {
            loadTable(connection, csv.resolve("patients.csv"), "patients");
            loadTable(connection, csv.resolve("encounters.csv"), "encounters");
        }
        List<String> lines = Files.readAllLines(csv.resolve("patients.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            for (String column : List.of("Id", "BIRTHDATE", "SSN", "DRIVERS", "PASSPORT", "FIRST",
                    "LAST", "MAIDEN", "ADDRESS", "ZIP")) {
                String value = cells[header.indexOf(column)];
                if (value.length() >= 4) {
                    PHI.add(value);
                }
            }
        }
    }

    private static void loadTable(Connection connection, Path file, String table)
            throws IOException, SQLException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < header.length; i++) {
            ddl.append(i == 0 ? "" : ", ").append('"').append(header[i]).append("\" text");
            marks.append(i == 0 ? "?" : ", ?");
        }
        connection.createStatement().execute(ddl + ")");
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " VALUES (" + marks + ")")) {
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                for (int i = 0; i < header.length; i++) {
                    insert.setString(i + 1, cells[i].isEmpty() ? null : cells[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        if (scratch != null) {
            scratch.close();
        }
    }

    private static Path key(Path dir, String name) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Files.writeString(dir.resolve(name), Base64.getEncoder().encodeToString(key));
    }

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void jdbcToS3_safeHarborPreset_leavesNoSourcePhiInAnyDecryptedObject(@TempDir Path dir)
            throws IOException {
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("deid");
        Path master = key(dir, "master.key");

        String[] result = run("jdbc-to-s3", "--jdbc-url", scratch.url(), "--user",
                scratch.user(), "--tables", "patients,encounters", "--bucket", bucket,
                "--master-key-file", master.toString(), "--endpoint",
                emulator.endpoint().toString(), "--preset", "safe-harbor", "--deid-key-file",
                key(dir, "deid.key").toString());

        assertThat(result[0]).as(result[2]).isEqualTo("0");
        String[] lines = result[1].split("\n");
        JsonNode report = JSON.readTree(lines[0]);
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(emulator.s3Client())
                .keyring(LocalAesKeyring.fromFile(master)).allowPlainHttp(true).build();
        StringBuilder decrypted = new StringBuilder();
        for (JsonNode stream : report.path("streams")) {
            for (JsonNode key : stream.path("objectKeys")) {
                try (InputStream in = reader.openContent(bucket, key.asText())) {
                    decrypted.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(decrypted.toString()).contains("\"ZIP\":\"021\"").contains("\"START\":\"20");
        assertThat(PHI).hasSizeGreaterThan(100).noneMatch(value -> Pattern.compile(
                "(?<![\\p{L}\\p{N}])" + Pattern.quote(value) + "(?![\\p{L}\\p{N}])")
                .matcher(decrypted).find());
        assertThat(lines[1]).contains("\"deidentification\"").contains("safe-harbor");
        assertThat(PHI).noneMatch(lines[1]::contains);
    }

    @Test
    void classify_sharedTables_printsCategoriesWithoutValues() {
        String[] result = run("classify", "--jdbc-url", scratch.url(), "--user", scratch.user(),
                "--tables", "patients,encounters", "--sample", "50");

        assertThat(result[0]).as(result[2]).isEqualTo("0");
        assertThat(result[1]).contains("\"SSN\"").contains("\"category\" : \"SSN\"")
                .contains("\"category\" : \"RECORD_KEY\"");
        assertThat(PHI).noneMatch(result[1]::contains);
    }

    @Test
    void jdbcToS3_unknownPresetOrMissingKey_exitsWithUsageCode(@TempDir Path dir)
            throws IOException {
        String[] unknown = run("jdbc-to-s3", "--jdbc-url", scratch.url(), "--tables",
                "patients", "--bucket", "b", "--master-key-file", key(dir, "m.key").toString(),
                "--endpoint", "http://127.0.0.1:1", "--preset", "hipaa", "--deid-key-file",
                key(dir, "d.key").toString());
        String stray = run("jdbc-to-s3", "--jdbc-url", scratch.url(), "--tables", "patients",
                "--bucket", "b", "--keep-all", "--deid-key-file", "x")[0];

        assertThat(unknown[0]).isEqualTo("2");
        assertThat(unknown[2]).contains("unknown preset 'hipaa'");
        assertThat(stray).isEqualTo("2");
    }
}
