package org.phicourier.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/** Every common PostgreSQL column type maps to a field type and reads back without loss. */
class PostgresTypesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void read_eachColumnType_givesTheExactValue() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE v (n38 NUMERIC(38,18), big BIGINT, small SMALLINT,"
                    + " r REAL, d DOUBLE PRECISION, b BOOLEAN, day DATE, t TIME(6),"
                    + " ts TIMESTAMP(6), tz TIMESTAMPTZ(6), u UUID, j JSONB, ints INT[],"
                    + " raw BYTEA, txt TEXT, iv INTERVAL)",
                    "INSERT INTO v VALUES (12345678901234567890.123456789012345678,"
                    + " -9223372036854775808, 32767, 'NaN', '-Infinity', true, '1949-11-26',"
                    + " '23:59:59.999999', '2023-01-27 16:17:47.123456',"
                    + " '2020-05-01 08:00:00.000001-04', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                    + " '{\"a\": 0.43326861999147326, \"b\": [1, null]}', '{1,2,NULL}',"
                    + " '\\x00ff10', 'O''Connell \uD83D\uDE00', '1 day 02:03:04')");

            Row row = Streams.readAll(JdbcSource.builder().jdbcUrl(scratch.url())
                    .user(scratch.user()).table("v").build(), "v").get(0);

            assertThat(types(row.schema())).containsExactly(FieldType.DECIMAL, FieldType.INT64,
                    FieldType.INT32, FieldType.FLOAT32, FieldType.FLOAT64, FieldType.BOOLEAN,
                    FieldType.DATE, FieldType.TIME, FieldType.TIMESTAMP, FieldType.TIMESTAMP_TZ,
                    FieldType.STRING, FieldType.JSON, FieldType.JSON, FieldType.BINARY,
                    FieldType.STRING, FieldType.STRING);
            assertThat(row.get(0))
                    .isEqualTo(new BigDecimal("12345678901234567890.123456789012345678"));
            assertThat(row.get(1)).isEqualTo(Long.MIN_VALUE);
            assertThat(row.get(2)).isEqualTo(32767);
            assertThat((Float) row.get(3)).isNaN();
            assertThat(row.get(4)).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(row.get(5)).isEqualTo(true);
            assertThat(row.get(6)).isEqualTo(LocalDate.of(1949, 11, 26));
            assertThat(row.get(7)).isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
            assertThat(row.get(8))
                    .isEqualTo(LocalDateTime.of(2023, 1, 27, 16, 17, 47, 123_456_000));
            assertThat(((OffsetDateTime) row.get(9)).toInstant()).isEqualTo(OffsetDateTime
                    .of(2020, 5, 1, 8, 0, 0, 1000, ZoneOffset.ofHours(-4)).toInstant());
            assertThat(row.get(10)).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(row.get(11).toString()).isEqualTo(
                    "{\"a\":0.43326861999147326,\"b\":[1,null]}");
            assertThat(row.get(12)).isEqualTo(JSON.readTree("[1,2,null]"));
            assertThat((byte[]) row.get(13)).containsExactly(0x00, 0xff, 0x10);
            assertThat(row.get(14)).isEqualTo("O'Connell \uD83D\uDE00");
            assertThat(row.get(15)).isEqualTo("1 day 02:03:04");
        }
    }

    @Test
    void discover_unsupportedType_namesStreamFieldAndType() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE shapes (id INT, spot POINT)");
            JdbcSource source = JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user())
                    .table("shapes").build();

            assertThatThrownBy(source::discover).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("stream 'shapes', field 'spot': unsupported column"
                            + " type 'point'");
        }
    }

    @Test
    void read_unsupportedTypeAllowedAsText_deliversTheDriverText() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE shapes (id INT, spot POINT)",
                    "INSERT INTO shapes VALUES (1, '(1.5,2)')");
            JdbcSource source = JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user())
                    .table("shapes").allowUnknownTypesAsText(true).build();

            Row row = Streams.readAll(source, "shapes").get(0);

            assertThat(row.schema().field(1).type()).isEqualTo(FieldType.STRING);
            assertThat(row.schema().field(1).sourceType().orElseThrow()).startsWith("point");
            assertThat(row.get(1)).isEqualTo("(1.5,2)");
        }
    }

    @Test
    void discover_tableWithKey_describesPrecisionScaleNullabilityAndKey() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE bills (id BIGINT PRIMARY KEY, amount NUMERIC(12,2) NOT"
                    + " NULL, note VARCHAR(40))");
            Schema schema = JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user())
                    .table("bills").build().discover().get(0).schema();

            assertThat(schema.fields()).extracting(f -> f.key(), f -> f.nullable())
                    .containsExactly(tuple(true, false), tuple(false, false), tuple(false, true));
            assertThat(schema.field(1).precision()).hasValue(12);
            assertThat(schema.field(1).scale()).hasValue(2);
            assertThat(schema.field(2).precision()).hasValue(40);
        }
    }

    @Test
    void read_qualifiedTableName_findsTheTableInItsSchema() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            scratch.execute("CREATE TABLE t (a INT)", "INSERT INTO t VALUES (7)");
            JdbcSource source = JdbcSource.builder().jdbcUrl(scratch.url().replaceAll(
                    "[?&]currentSchema=[^&]*", "")).user(scratch.user())
                    .table(scratch.schema() + ".t").build();

            List<Row> rows = Streams.readAll(source, scratch.schema() + ".t");

            assertThat(rows).extracting(r -> r.get(0)).containsExactly(7);
        }
    }

    private static List<FieldType> types(Schema schema) {
        return schema.fields().stream().map(f -> f.type()).toList();
    }
}
