package org.phicourier.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.SourceException;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/** Every common MariaDB column type maps to a field type and reads back without loss. */
class MariaDbTypesIT {
    @Test
    void read_eachColumnType_givesTheExactValue() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch()) {
            scratch.execute("CREATE TABLE v (n38 DECIMAL(38,18), ubig BIGINT UNSIGNED,"
                    + " uint INT UNSIGNED, flag TINYINT(1), f FLOAT, d DOUBLE, day DATE,"
                    + " t TIME(6), dt DATETIME(6), ts TIMESTAMP(6) NULL, raw BLOB,"
                    + " txt TEXT CHARACTER SET utf8mb4, kind ENUM('in','out'))",
                    "SET time_zone = '+00:00'",
                    "INSERT INTO v VALUES (12345678901234567890.123456789012345678,"
                    + " 18446744073709551615, 4294967295, 1, 1.5, 0.43326861999147326,"
                    + " '1949-11-26', '23:59:59.999999', '2023-01-27 16:17:47.123456',"
                    + " '2020-05-01 12:00:00.000001', x'00ff10',"
                    + " 'Ch\u00e1con \uD83D\uDE00', 'out')");

            Row row = Streams.readAll(JdbcSource.builder().jdbcUrl(scratch.url())
                    .user(scratch.user()).table("v").build(), "v").get(0);

            assertThat(row.schema().fields()).extracting(f -> f.type()).containsExactly(
                    FieldType.DECIMAL, FieldType.DECIMAL, FieldType.INT64, FieldType.BOOLEAN,
                    FieldType.FLOAT32, FieldType.FLOAT64, FieldType.DATE, FieldType.TIME,
                    FieldType.TIMESTAMP, FieldType.TIMESTAMP_TZ, FieldType.BINARY,
                    FieldType.STRING, FieldType.STRING);
            assertThat(List.of(row.get(0), row.get(1), row.get(2), row.get(3))).containsExactly(
                    new BigDecimal("12345678901234567890.123456789012345678"),
                    new BigDecimal("18446744073709551615"), 4294967295L, true);
            assertThat(row.get(4)).isEqualTo(1.5f);
            assertThat(row.get(5)).isEqualTo(0.43326861999147326);
            assertThat(row.get(6)).isEqualTo(LocalDate.of(1949, 11, 26));
            assertThat(row.get(7)).isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
            assertThat(row.get(8))
                    .isEqualTo(LocalDateTime.of(2023, 1, 27, 16, 17, 47, 123_456_000));
            assertThat(row.get(9)).isEqualTo(
                    OffsetDateTime.of(2020, 5, 1, 12, 0, 0, 1000, ZoneOffset.UTC));
            assertThat((byte[]) row.get(10)).containsExactly(0x00, 0xff, 0x10);
            assertThat(row.get(11)).isEqualTo("Ch\u00e1con \uD83D\uDE00");
            assertThat(row.get(12)).isEqualTo("out");
        }
    }

    private static JdbcSource.Builder zeroDates(TestDatabase.Scratch scratch) throws Exception {
        scratch.execute("SET SESSION sql_mode = ''",
                "CREATE TABLE z (id INT, born DATE, span TIME)",
                "INSERT INTO z VALUES (1, '1990-01-02', '01:00:00'),"
                        + " (2, '0000-00-00', '838:59:59')");
        return JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user()).table("z");
    }

    @Test
    void read_zeroDateUnderFail_namesStreamFieldAndRowNotTheValue() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch()) {
            JdbcSource source = zeroDates(scratch).build();

            assertThatThrownBy(() -> Streams.readAll(source, "z"))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("stream 'z', field 'born', row 2")
                    .hasMessageContaining("zero or impossible date")
                    .hasMessageNotContaining("0000");
        }
    }

    @Test
    void read_zeroDateUnderText_deliversTheDatabaseText() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch()) {
            JdbcSource source = zeroDates(scratch).outOfRangeValues(OutOfRangePolicy.TEXT).build();

            List<Row> rows = Streams.readAll(source, "z");

            assertThat(rows.get(0).schema().field(1).type()).isEqualTo(FieldType.STRING);
            assertThat(rows).extracting(r -> r.get(1), r -> r.get(2)).containsExactly(
                    tuple("1990-01-02", "01:00:00"), tuple("0000-00-00", "838:59:59"));
        }
    }
}
