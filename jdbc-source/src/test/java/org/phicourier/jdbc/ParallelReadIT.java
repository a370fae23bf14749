package org.phicourier.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/**
 * Full refreshes read in key ranges on several connections, on real PostgreSQL and MariaDB:
 * the same rows, batches and bookmarks as a read on one connection, rows inserted above the
 * highest key, the fallback for other keys, and every connection closed after a failure or an
 * early close.
 */
class ParallelReadIT {
    private static final String TABLE = "pread_items";

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("PostgreSQL"), Arguments.of("MariaDB"));
    }

    private static TestDatabase server(String name) {
        return name.equals("PostgreSQL") ? TestServices.postgres() : TestServices.mariadb();
    }

    private static boolean postgres(TestDatabase.Scratch scratch) {
        return scratch.url().startsWith("jdbc:postgresql:");
    }

    /** A URL whose connections the tests can count: named on PostgreSQL, by schema on MariaDB. */
    private static String url(TestDatabase.Scratch scratch) {
        return postgres(scratch) ? scratch.url() + "&ApplicationName=" + scratch.schema()
                : scratch.url();
    }

    private static JdbcSource.Builder source(TestDatabase.Scratch scratch, int connections) {
        return JdbcSource.builder().jdbcUrl(url(scratch)).user(scratch.user()).table(TABLE)
                .readConnections(connections).batchSize(700).chunkSize(2000);
    }

    /**
     * Creates the table with {@code rows} rows: ids 3, 6, 9, ... for the first half, then a gap
     * of five million keys, then consecutive ids.
     */
    private static void createItems(TestDatabase.Scratch scratch, String keyType, int rows)
            throws Exception {
        int half = rows / 2;
        String id = "CASE WHEN n <= " + half + " THEN n * 3 ELSE n + 5000000 END";
        String values = "SELECT " + id + ", CONCAT('note ', n), n % 97, "
                + (postgres(scratch) ? "CAST(n AS NUMERIC(12, 2)) / 7" : "n / 7");
        scratch.execute("CREATE TABLE " + TABLE + " (id " + keyType + " PRIMARY KEY,"
                + " note VARCHAR(40), small INT, amount DECIMAL(12, 2))");
        if (postgres(scratch)) {
            scratch.execute("INSERT INTO " + TABLE + " " + values + " FROM generate_series(1, "
                    + rows + ") AS s(n)");
        } else {
            scratch.execute("SET SESSION max_recursive_iterations = " + rows, "INSERT INTO "
                    + TABLE + " WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s"
                    + " WHERE n < " + rows + ") " + values + " FROM s");
        }
    }

    private static StreamDescriptor discover(JdbcSource source) {
        return source.discover().stream().filter(d -> d.name().equals(TABLE)).findFirst()
                .orElseThrow();
    }

    /** Reads whole from the bookmark, collecting the rows and each batch's first row number. */
    private static List<Row> readAll(JdbcSource source, Optional<Bookmark> from,
            List<Long> firsts) {
        StreamDescriptor stream = discover(source);
        List<Row> rows = new ArrayList<>();
        try (StreamReader reader = source.open(stream, from)) {
            for (Optional<RowBatch> batch = reader.next(); batch.isPresent();
                    batch = reader.next()) {
                firsts.add(batch.get().firstPosition());
                rows.addAll(batch.get().rows());
            }
            assertThat(reader.bookmark().flatMap(b -> b.attribute("phase"))).contains("DONE");
        }
        return rows;
    }

    private static List<Row> readAll(JdbcSource source, Optional<Bookmark> from) {
        return readAll(source, from, new ArrayList<>());
    }

    /** Reads {@code batches} batches and returns the bookmark after the last. */
    private static Bookmark readBatches(JdbcSource source, int batches, List<Row> into) {
        try (StreamReader reader = source.open(discover(source), Optional.empty())) {
            for (int i = 0; i < batches; i++) {
                into.addAll(reader.next().orElseThrow().rows());
            }
            return reader.bookmark().orElseThrow();
        }
    }

    private static List<Long> ids(List<Row> rows) {
        return rows.stream().map(r -> ((Number) r.get(0)).longValue()).toList();
    }

    private static int openConnections(TestDatabase.Scratch scratch) throws Exception {
        String sql = postgres(scratch)
                ? "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                        + scratch.schema() + "'"
                : "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = '"
                        + scratch.schema() + "' AND ID <> CONNECTION_ID()";
        try (Connection connection = scratch.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Waits briefly for the server to see the connections gone, as backends end after. */
    private static int openConnectionsSettled(TestDatabase.Scratch scratch) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int open = openConnections(scratch);
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            open = openConnections(scratch);
        }
        return open;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void open_integerKeyWithGaps_deliversTheSequentialReadsRowsAndBatches(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, "BIGINT", 50_000);
            List<Long> sequentialFirsts = new ArrayList<>();
            List<Long> parallelFirsts = new ArrayList<>();

            List<Row> sequential = readAll(source(scratch, 1).build(), Optional.empty(),
                    sequentialFirsts);
            List<Row> parallel = readAll(source(scratch, 3).build(), Optional.empty(),
                    parallelFirsts);

            assertThat(parallel).hasSize(50_000).containsExactlyElementsOf(sequential);
            assertThat(ids(parallel)).isSorted().doesNotHaveDuplicates();
            assertThat(parallelFirsts).containsExactlyElementsOf(sequentialFirsts);
            assertThat(openConnectionsSettled(scratch)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void open_int32Key_readsEveryRowOnceInOrder(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, "INT", 5_000);

            List<Row> rows = readAll(source(scratch, 2).chunkSize(1000).build(),
                    Optional.empty());

            assertThat(ids(rows)).hasSize(5_000).isSorted().doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void open_fromEitherReadersBookmark_readsExactlyTheRemainingRows(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, "BIGINT", 6_000);
            JdbcSource parallel = source(scratch, 2).chunkSize(3000).build();
            JdbcSource sequential = source(scratch, 1).chunkSize(3000).build();
            List<Row> all = readAll(sequential, Optional.empty());

            for (JdbcSource first : List.of(parallel, sequential)) {
                for (JdbcSource then : List.of(parallel, sequential)) {
                    List<Row> rows = new ArrayList<>();
                    Bookmark bookmark = readBatches(first, 4, rows);
                    rows.addAll(readAll(then, Optional.of(bookmark)));

                    assertThat(rows).containsExactlyElementsOf(all);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void next_rowsInsertedAboveTheHighestKeyDuringTheRead_areRead(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, "BIGINT", 20_000);
            JdbcSource source = source(scratch, 2).batchSize(100).chunkSize(5000).build();
            List<Row> rows = new ArrayList<>();

            try (StreamReader reader = source.open(discover(source), Optional.empty())) {
                rows.addAll(reader.next().orElseThrow().rows());
                scratch.execute("INSERT INTO " + TABLE + " VALUES (9000000, 'late', 1, 1),"
                        + " (9000001, 'later', 2, 2)");
                for (Optional<RowBatch> batch = reader.next(); batch.isPresent();
                        batch = reader.next()) {
                    rows.addAll(batch.get().rows());
                }
            }

            assertThat(ids(rows)).hasSize(20_002).isSorted().endsWith(9_000_000L, 9_000_001L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void open_compositeOrTextKey_fallsBackToOneConnection(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE pread_pairs (a INT NOT NULL, b INT NOT NULL,"
                    + " PRIMARY KEY (a, b))", "CREATE TABLE pread_codes (code VARCHAR(10)"
                    + " PRIMARY KEY)", "INSERT INTO pread_pairs VALUES (2, 1), (1, 2), (1, 1)",
                    "INSERT INTO pread_codes VALUES ('b'), ('c'), ('a')");
            JdbcSource source = JdbcSource.builder().jdbcUrl(url(scratch)).user(scratch.user())
                    .table("pread_pairs").table("pread_codes").readConnections(4).chunkSize(2)
                    .build();

            try (CapturedLogs logs = CapturedLogs.everythingAtTrace()
                    .withLevel("org.mariadb.jdbc.client.socket", "DEBUG")) {
                assertThat(new Passes(source, "pread_pairs").readAll()).hasSize(3);
                assertThat(new Passes(source, "pread_codes").readAll())
                        .extracting(r -> r.get(0)).containsExactly("a", "b", "c");

                assertThat(logs.text())
                        .contains("stream 'pread_pairs': read in key order on one connection")
                        .contains("stream 'pread_codes': read in key order on one connection")
                        .doesNotContain("read in key ranges");
            }
        }
    }

    @Test
    void open_integerKey_logsTheParallelReader() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            createItems(scratch, "BIGINT", 100);

            try (CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
                assertThat(readAll(source(scratch, 2).build(), Optional.empty())).hasSize(100);

                assertThat(logs.text()).contains("stream '" + TABLE + "': read in key ranges");
            }
        }
    }

    @Test
    void open_bookmarkAtTheHighestLongKey_readsNothingMore() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY)", "INSERT INTO "
                    + TABLE + " VALUES (1), (2), (" + Long.MAX_VALUE + ")");
            JdbcSource source = source(scratch, 2).batchSize(3).build();
            List<Row> rows = new ArrayList<>();
            Bookmark bookmark = readBatches(source, 1, rows);

            assertThat(ids(rows)).containsExactly(1L, 2L, Long.MAX_VALUE);
            assertThat(readAll(source, Optional.of(bookmark))).isEmpty();
        }
    }

    @Test
    void next_aValueCannotBeRead_failsNamingStreamFieldAndRowLikeTheSequentialRead()
            throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch()) {
            scratch.execute("SET SESSION sql_mode = ''", "CREATE TABLE pread_dates (id BIGINT"
                    + " PRIMARY KEY, day DATE)", "SET SESSION max_recursive_iterations = 100",
                    "INSERT INTO pread_dates WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT"
                    + " n + 1 FROM s WHERE n < 50) SELECT n, CASE WHEN n = 30 THEN '0000-00-00'"
                    + " ELSE '2020-01-01' END FROM s");
            List<String> messages = new ArrayList<>();

            for (int connections : new int[] {1, 3}) {
                JdbcSource source = JdbcSource.builder().jdbcUrl(url(scratch))
                        .user(scratch.user()).table("pread_dates").readConnections(connections)
                        .batchSize(7).chunkSize(10).build();
                assertThatThrownBy(() -> new Passes(source, "pread_dates").readAll())
                        .isInstanceOf(SourceException.class)
                        .satisfies(e -> messages.add(e.getMessage()));
            }

            assertThat(messages.get(1)).startsWith("stream 'pread_dates', field 'day', row 30:")
                    .isEqualTo(messages.get(0)).doesNotContain("0000");
        }
    }

    @Test
    void next_aWorkersBackendIsTerminated_failsNamingTheStreamAndClosesEveryConnection()
            throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            createItems(scratch, "BIGINT", 50_000);
            JdbcSource source = source(scratch, 3).batchSize(100).chunkSize(5000).build();
            StreamReader reader = source.open(discover(source), Optional.empty());
            try {
                reader.next().orElseThrow();
                scratch.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = '" + scratch.schema() + "'"
                        + " AND pid <> pg_backend_pid() ORDER BY pid LIMIT 1");

                assertThatThrownBy(() -> {
                    while (reader.next().isPresent()) {
                        continue;
                    }
                }).isInstanceOf(SourceException.class)
                        .hasMessageContaining("stream '" + TABLE + "', row ")
                        .hasMessageContaining("reading failed (SQLState");
            } finally {
                reader.close();
            }

            assertThat(openConnectionsSettled(scratch)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void close_midRead_returnsPromptlyAndClosesEveryConnection(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, "BIGINT", 50_000);
            JdbcSource source = source(scratch, 3).batchSize(100).chunkSize(20_000).build();
            StreamReader reader = source.open(discover(source), Optional.empty());
            reader.next().orElseThrow();
            assertThat(openConnections(scratch)).isEqualTo(3);

            long started = System.nanoTime();
            reader.close();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(
                    Duration.ofSeconds(3));
            assertThat(openConnectionsSettled(scratch)).isZero();
        }
    }

    @Test
    void build_readConnectionsBelowOne_isRefusedNamingTheSetting() {
        for (int connections : new int[] {0, -1}) {
            JdbcSource.Builder builder = JdbcSource.builder().jdbcUrl("jdbc:postgresql://x/y")
                    .table(TABLE).readConnections(connections);

            assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("readConnections");
        }
    }
}
