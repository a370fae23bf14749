package org.phicourier.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;

/** The JDBC source on an embedded H2 database. */
class H2SourceTest {
    @Test
    void read_h2Types_giveTheExactValues() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE v (id UUID, amount DECIMAL(12,2),"
                    + " at TIMESTAMP WITH TIME ZONE, doc JSON, note CLOB)");
            statement.execute("INSERT INTO v VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                    + " 1.10, TIMESTAMP WITH TIME ZONE '2020-05-01 08:00:00+02:00',"
                    + " JSON '{\"a\":1}', 'text')");

            List<Row> rows = Streams.readAll(JdbcSource.builder().jdbcUrl(url).table("v")
                    .build(), "v");

            Row row = rows.get(0);
            assertThat(row.schema().fields()).extracting(f -> f.type()).containsExactly(
                    FieldType.STRING, FieldType.DECIMAL, FieldType.TIMESTAMP_TZ, FieldType.JSON,
                    FieldType.STRING);
            assertThat(row.get(0)).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(row.get(1)).isEqualTo(new BigDecimal("1.10"));
            assertThat(((OffsetDateTime) row.get(2)).toInstant()).isEqualTo(
                    OffsetDateTime.of(2020, 5, 1, 8, 0, 0, 0, ZoneOffset.ofHours(2)).toInstant());
            assertThat(row.get(3).toString()).isEqualTo("{\"a\":1}");
        }
    }

    @Test
    void read_lowerCaseTableName_findsH2UpperCaseTable() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE patients (id INT)");
            statement.execute("INSERT INTO patients VALUES (1), (2)");

            assertThat(Streams.readAll(JdbcSource.builder().jdbcUrl(url).table("patients")
                    .build(), "patients")).hasSize(2);
        }
    }
}
