package org.phicourier.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/**
 * A table far larger than the heap streams through the source: a child JVM with a 48 MiB heap
 * reads 200,000 rows of 1 KiB (about 200 MiB). Without a cursor or streamed result the driver
 * would load the whole result and the child would run out of memory.
 */
class StreamingMemoryIT {
    private static final int ROWS = 200_000;

    @Test
    void read_postgresTableLargerThanHeap_streams() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE big (id INT, payload TEXT)",
                    "INSERT INTO big SELECT g, repeat(md5(g::text), 32)"
                    + " FROM generate_series(1, " + ROWS + ") g");

            assertThat(readInSmallHeap(scratch.url(), scratch.user(), "big"))
                    .isEqualTo("rows=" + ROWS);
        }
    }

    @Test
    void read_mariadbTableLargerThanHeap_streams() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch()) {
            scratch.execute("CREATE TABLE big (id INT, payload TEXT)",
                    "INSERT INTO big SELECT seq, REPEAT(MD5(seq), 32) FROM seq_1_to_" + ROWS);

            assertThat(readInSmallHeap(scratch.url(), scratch.user(), "big"))
                    .isEqualTo("rows=" + ROWS);
        }
    }

    @Test
    void read_h2FileTableLargerThanHeap_streams(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
        try (var connection = java.sql.DriverManager.getConnection(url);
                var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE big (id INT, payload VARCHAR(1100))");
            statement.execute("INSERT INTO big SELECT X, REPEAT('x', 1024)"
                    + " FROM SYSTEM_RANGE(1, " + ROWS + ")");
        }

        assertThat(readInSmallHeap(url, "", "big")).isEqualTo("rows=" + ROWS);
    }

    private static String readInSmallHeap(String url, String user, String table)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx48m", "-cp",
                System.getProperty("java.class.path"), StreamingProbe.class.getName(), url,
                user, table))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output.lines().filter(l -> l.startsWith("rows=")).findFirst().orElse(output);
    }
}
