package org.phicourier.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.SyntheaCsv;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/** The JDBC source on real PostgreSQL and MariaDB servers, over the shared Synthea tables. */
class JdbcSourceIT {
    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("PostgreSQL", "\""), Arguments.of("MariaDB", "`"));
    }

    private static TestDatabase server(String name) {
        return name.equals("PostgreSQL") ? TestServices.postgres() : TestServices.mariadb();
    }

    private static SyntheaCsv patients() throws Exception {
        return SyntheaCsv.read(TestServices.sharedData().resolve("synthea-csv/patients.csv"));
    }

    private static JdbcSource.Builder sourceOn(TestDatabase.Scratch scratch) {
        return JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user()).batchSize(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void read_syntheaTable_deliversEveryRowWithItsExactText(String name, String quote)
            throws Exception {
        SyntheaCsv csv = patients();
        try (TestDatabase.Scratch scratch = server(name).createScratch();
                Connection connection = scratch.connect()) {
            csv.load(connection, "patients", quote);

            List<Row> rows = Streams.readAll(sourceOn(scratch).table("patients").build(),
                    "patients");

            assertThat(rows).hasSize(csv.rows().size());
            assertThat(rows.get(0).schema().names()).isEqualTo(csv.header());
            assertThat(rows.get(0).schema().fields()).allMatch(f -> f.type() == FieldType.STRING);
            assertThat(asText(rows)).containsExactlyInAnyOrderElementsOf(csv.rows());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void read_selectedColumns_readsOnlyThoseInTheGivenOrder(String name, String quote)
            throws Exception {
        SyntheaCsv csv = patients();
        try (TestDatabase.Scratch scratch = server(name).createScratch();
                Connection connection = scratch.connect()) {
            csv.load(connection, "patients", quote);

            List<Row> rows = Streams.readAll(sourceOn(scratch)
                    .table("patients", "GENDER", "Id").build(), "patients");

            assertThat(rows.get(0).schema().names()).containsExactly("GENDER", "Id");
            assertThat(rows).extracting(r -> r.get(1))
                    .containsExactlyInAnyOrderElementsOf(csv.column("Id"));
        }
    }

    @org.junit.jupiter.api.Test
    void read_throughADataSource_readsLikeAUrl() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1), (2), (3)");
            org.postgresql.ds.PGSimpleDataSource dataSource =
                    new org.postgresql.ds.PGSimpleDataSource();
            dataSource.setURL(scratch.url());
            dataSource.setUser(scratch.user());

            List<Row> rows = Streams.readAll(JdbcSource.builder().dataSource(dataSource)
                    .table("t").build(), "t");

            assertThat(rows).extracting(r -> r.get(0)).containsExactlyInAnyOrder(1, 2, 3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void discover_missingTable_namesTheStreamBeforeReading(String name, String quote)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            JdbcSource source = sourceOn(scratch).table("no_such_table").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("stream 'no_such_table': table 'no_such_table' does"
                            + " not exist");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void discover_unknownColumn_namesStreamAndField(String name, String quote) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE t (a INT)");
            JdbcSource source = sourceOn(scratch).table("t", "a", "b").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("stream 't', field 'b': no such column");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void read_queryStream_describesAndReadsTheResult(String name, String quote)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE t (a INT, b VARCHAR(10))",
                    "INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
            JdbcSource source = sourceOn(scratch)
                    .query("odd", "SELECT a AS n, b FROM t WHERE a <> 2").build();

            List<Row> rows = Streams.readAll(source, "odd");

            assertThat(rows).extracting(r -> r.get(0), r -> r.get(1)).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(1, "x"),
                    org.assertj.core.groups.Tuple.tuple(3, "z"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void open_tableDroppedAfterDiscovery_failsNamingTheStreamWithoutDriverText(String name,
            String quote) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE t (a INT)");
            JdbcSource source = sourceOn(scratch).table("t").build();
            var descriptor = source.discover().get(0);
            scratch.execute("DROP TABLE t");

            assertThatThrownBy(() -> source.open(descriptor)).isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("stream 't': the query failed (SQLState");
        }
    }

    @org.junit.jupiter.api.Test
    @SuppressWarnings("try")
    void discover_mariadbPacketLoggingAtTrace_isRefusedBecauseItLogsRowValues()
            throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch();
                CapturedLogs ignored = CapturedLogs.everythingAtTrace()) {
            scratch.execute("CREATE TABLE t (a INT)");
            JdbcSource source = sourceOn(scratch).table("t").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'org.mariadb.jdbc.client.socket.Reader' is at TRACE");
        }
    }

    private static List<List<String>> asText(List<Row> rows) {
        List<List<String>> text = new ArrayList<>();
        for (Row row : rows) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add((String) row.get(i));
            }
            text.add(values);
        }
        return text;
    }
}
