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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;

/**
 * {@code --progress} on a run of a million rows: standard error shows one line, rewritten in
 * place many times with a growing count against the known total, and ended once. The number of
 * updates does not depend on speed: with a known total the reporter updates at every 5 %.
 */
class ProgressCliIT {
    private static final int ROWS = 1_000_000;
    private static final Pattern COUNT = Pattern.compile("^big: ([0-9,]+) / 1,000,000 records");

    @TempDir
    Path dir;

    @Test
    void jdbcToS3_progressOverAMillionRows_updatesOneLineInPlace() throws Exception {
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("progress");
        String h2 = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(h2);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE big AS SELECT X AS id, CONCAT('row-', X) AS note"
                    + " FROM SYSTEM_RANGE(1, " + ROWS + ")");
            Files.writeString(dir.resolve("master.key"),
                    Base64.getEncoder().encodeToString(new byte[32]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = Main.run(new String[] {"jdbc-to-s3", "--jdbc-url", h2, "--tables", "big",
                "--bucket", bucket, "--endpoint", emulator.endpoint().toString(),
                "--master-key-file", dir.resolve("master.key").toString(), "--keep-all",
                "--batch-size", "5000", "--progress"}, new PrintStream(out, true),
                    new PrintStream(err, true));

            String progress = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(progress).isZero();
            List<String> updates = Arrays.stream(progress.split("\r")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            List<Long> counts = updates.stream().map(COUNT::matcher).filter(Matcher::find)
                    .map(m -> Long.parseLong(m.group(1).replace(",", ""))).toList();
            assertThat(counts).hasSizeGreaterThanOrEqualTo(20).isSorted();
            assertThat(counts.get(0)).isLessThan(ROWS);
            assertThat(counts.get(counts.size() - 1)).isEqualTo(ROWS);
            assertThat(updates.get(updates.size() - 1)).contains("(100%)", "done in");
            assertThat(progress).containsOnlyOnce("\n").endsWith("\n");
        }
    }
}
