package org.phicourier.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Row;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/**
 * Incremental and chunked reads on real PostgreSQL and MariaDB: cursor tuples, ties, resuming
 * from every bookmark, late commits, transaction ids, and the bad input refused at discovery.
 */
class IncrementalReadIT {
    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("PostgreSQL"), Arguments.of("MariaDB"));
    }

    private static TestDatabase server(String name) {
        return name.equals("PostgreSQL") ? TestServices.postgres() : TestServices.mariadb();
    }

    private static boolean postgres(String name) {
        return name.equals("PostgreSQL");
    }

    private static String timestamp(String name) {
        return postgres(name) ? "TIMESTAMP(6)" : "DATETIME(6)";
    }

    private static JdbcSource.Builder incremental(TestDatabase.Scratch scratch) {
        return JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user()).batchSize(2)
                .chunkSize(3).mode(ReplicationMode.INCREMENTAL).table("items");
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(r -> ((Number) r.get(0)).longValue()).map(Object.class::cast)
                .toList();
    }

    private static void createItems(TestDatabase.Scratch scratch, String name) throws Exception {
        scratch.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, changed " + timestamp(name)
                + " NOT NULL, note VARCHAR(40))");
    }

    private static void insert(TestDatabase.Scratch scratch, long id, String changed)
            throws Exception {
        scratch.execute("INSERT INTO items VALUES (" + id + ", '" + changed + "', 'n" + id
                + "')");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void read_rowsShareTheCursorValueAcrossChunks_eachIsDeliveredOnce(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            for (long id = 1; id <= 9; id++) {
                insert(scratch, id, id <= 2 ? "2026-01-01 10:00:00" : id <= 7
                        ? "2026-01-01 11:00:00" : "2026-01-01 12:00:00");
            }
            JdbcSource source = incremental(scratch).cursor("items", "changed").build();

            List<Row> rows = new Passes(source, "items").readResumingAfterEveryBatch();

            assertThat(ids(rows)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void read_firstLoadInRandomIdOrder_resumedAfterEveryBatch_deliversEveryRowOnce(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            List<Long> order = new ArrayList<>(IntStream.rangeClosed(1, 40).mapToObj(i -> (long) i)
                    .toList());
            Collections.shuffle(order, new Random(6));
            for (long id : order) {
                insert(scratch, id, "2026-01-01 10:00:00");
            }
            JdbcSource source = incremental(scratch).cursor("items", "id").build();

            List<Row> rows = new Passes(source, "items").readResumingAfterEveryBatch();

            assertThat(ids(rows)).containsExactlyElementsOf(IntStream.rangeClosed(1, 40)
                    .mapToObj(i -> (Object) (long) i).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void read_noChangesSinceTheLastRead_deliversNothing(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            insert(scratch, 1, "2026-01-01 10:00:00");
            Passes passes = new Passes(incremental(scratch).cursor("items", "changed", "id")
                    .build(), "items");

            List<Row> first = passes.readAll();
            List<Row> second = passes.readAll();
            insert(scratch, 2, "2026-01-01 11:00:00");
            List<Row> third = passes.readAll();

            assertThat(ids(first)).containsExactly(1L);
            assertThat(second).isEmpty();
            assertThat(ids(third)).containsExactly(2L);
        }
    }

    @Test
    void read_postgresRowCommittedLateWithALowCursor_isDeliveredByTheNextRead()
            throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch();
                Connection late = scratch.connect()) {
            createItems(scratch, "PostgreSQL");
            insert(scratch, 10, "2026-01-01 10:00:00");
            Passes passes = new Passes(incremental(scratch).cursor("items", "changed", "id")
                    .build(), "items");
            passes.readAll();
            late.setAutoCommit(false);
            try (Statement statement = late.createStatement()) {
                statement.execute("INSERT INTO items VALUES (5, '2020-01-01 00:00:00', 'late')");
            }
            insert(scratch, 20, "2026-01-01 12:00:00");

            List<Row> during = passes.readAll();
            late.commit();
            List<Row> after = passes.readAll();
            List<Row> idle = passes.readAll();

            assertThat(ids(during)).isEmpty();
            assertThat(ids(after)).containsExactlyInAnyOrder(5L, 20L);
            assertThat(idle).isEmpty();
        }
    }

    @Test
    void read_mariaDbRowCommittedLate_waitsForItsTransactionAndDeliversItOnce()
            throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch();
                Connection late = scratch.connect(); Connection watch = scratch.connect()) {
            scratch.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " changed DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), note TEXT)");
            scratch.execute("INSERT INTO items (note) VALUES ('first')");
            Passes passes = new Passes(incremental(scratch).cursor("items", "changed", "id")
                    .build(), "items");
            passes.readAll();
            late.setAutoCommit(false);
            try (Statement statement = late.createStatement()) {
                statement.execute("INSERT INTO items (note) VALUES ('late')");
            }
            scratch.execute("INSERT INTO items (note) VALUES ('after')");

            CompletableFuture<List<Row>> during = CompletableFuture.supplyAsync(passes::readAll);
            awaitLockWait(watch);
            late.commit();
            List<Row> delivered = during.get(60, TimeUnit.SECONDS);

            assertThat(delivered).extracting(r -> r.get(2)).containsExactly("late", "after");
            assertThat(passes.readAll()).isEmpty();
        }
    }

    /** Waits until a session of the server waits for a table lock, as the read does. */
    private static void awaitLockWait(Connection watch) throws Exception {
        for (int i = 0; i < 600; i++) {
            try (Statement statement = watch.createStatement();
                    var rows = statement.executeQuery("SELECT COUNT(*) FROM"
                            + " information_schema.PROCESSLIST WHERE STATE LIKE"
                            + " 'Waiting for table metadata lock%'")) {
                rows.next();
                if (rows.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the read never waited for the table lock");
    }

    @Test
    void read_postgresByTransactionId_deliversInsertsAndUpdatesSinceTheLastRead()
            throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            createItems(scratch, "PostgreSQL");
            for (long id = 1; id <= 5; id++) {
                insert(scratch, id, "2026-01-01 10:00:00");
            }
            Passes passes = new Passes(incremental(scratch).build(), "items");
            List<Row> first = passes.readAll();
            scratch.execute("UPDATE items SET note = 'changed' WHERE id = 2");
            insert(scratch, 6, "2000-01-01 00:00:00");

            List<Row> second = passes.readResumingAfterEveryBatch();

            assertThat(ids(first)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(second).extracting(r -> r.get(0), r -> r.get(2))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "changed"),
                            org.assertj.core.groups.Tuple.tuple(6L, "n6"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void read_fullRefreshOfATableWithAKey_resumesAfterEveryBatch(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            for (long id = 7; id >= 1; id--) {
                insert(scratch, id, "2026-01-01 10:00:00");
            }
            JdbcSource source = incremental(scratch).mode(ReplicationMode.FULL_REFRESH).build();

            List<Row> rows = new Passes(source, "items").readResumingAfterEveryBatch();

            assertThat(source.replication(source.discover().get(0)).resumable()).isTrue();
            assertThat(ids(rows)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void discover_nullableCursorColumn_isRefusedNamingStreamAndField(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE items (id INT PRIMARY KEY, changed "
                    + timestamp(name) + " NULL)");
            JdbcSource source = incremental(scratch).cursor("items", "changed").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("stream 'items', field 'changed'")
                    .hasMessageContaining("must be NOT NULL");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void discover_cursorColumnThatCannotOrder_isRefused(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE items (id INT PRIMARY KEY, score "
                    + (postgres(name) ? "DOUBLE PRECISION" : "DOUBLE") + " NOT NULL)");
            JdbcSource source = incremental(scratch).cursor("items", "score").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("stream 'items', field 'score'")
                    .hasMessageContaining("cannot order an incremental read");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void discover_missingCursorColumn_isRefused(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            JdbcSource source = incremental(scratch).cursor("items", "updated_at").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("stream 'items': cursor column 'updated_at' does not"
                            + " exist");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void discover_cursorWithTiesAndNoPrimaryKey_isRefused(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE items (changed " + timestamp(name) + " NOT NULL)");
            JdbcSource source = incremental(scratch).cursor("items", "changed").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("does not identify rows");
        }
    }

    @Test
    void discover_mariaDbWithoutCursor_isRefused() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch()) {
            createItems(scratch, "MariaDB");
            JdbcSource source = incremental(scratch).build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("only PostgreSQL offers");
        }
    }

    @Test
    void build_cursorOnAFullRefresh_isRefused() {
        assertThatThrownBy(() -> JdbcSource.builder().jdbcUrl("jdbc:h2:mem:x").table("items")
                .cursor("items", "id").build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stream 'items' has a cursor but is a full refresh");
    }
}
