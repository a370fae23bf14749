package org.phicourier.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The round-trip type matrix: for each database, one column per type it offers, the literal of a
 * hard value for it, and the Java value a reader must get back (the representation the record
 * model prescribes). Tests create the table, insert the hard row and an all-NULL row, move them
 * through a pipeline and compare what they read back.
 *
 * <p>A column whose value the JDK cannot hold (a zero date, a time beyond 24 hours) names the
 * counter its policy increments; its expected value is the one the out-of-range policy
 * {@code NULL} gives, which is null. Immutable and thread-safe.
 */
public final class TypeMatrix {
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature
                    .USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final BigDecimal N38 =
            new BigDecimal("12345678901234567890.123456789012345678");
    private static final BigDecimal N38_TINY = new BigDecimal("-0.000000000000000001");
    private static final String ASTRAL = "O'Connell \uD83D\uDE00 \uD834\uDD1E \u00e9\u4e2d";

    /**
     * One column of the matrix.
     *
     * @param name the column name
     * @param sqlType the type in the table's DDL
     * @param literal the SQL literal of the hard value
     * @param expected the value read back, as the record model holds it; null when the policy
     *     turns it into null
     * @param counter the counter that the out-of-range policy increments for it, if any
     */
    public record Column(String name, String sqlType, String literal, Object expected,
            Optional<String> counter) {
        @Override
        public String toString() {
            return name + " " + sqlType;
        }
    }

    private final String database;
    private final List<String> setup;
    private final List<Column> columns;

    private TypeMatrix(String database, List<String> setup, List<Column> columns) {
        this.database = database;
        this.setup = List.copyOf(setup);
        this.columns = List.copyOf(columns);
    }

    /**
     * Returns the PostgreSQL matrix. PostgreSQL text cannot hold NUL, so NUL is covered by bytea.
     *
     * @return the matrix
     */
    public static TypeMatrix postgres() {
        List<Column> c = new ArrayList<>();
        c.add(col("n38", "NUMERIC(38,18)", N38.toPlainString(), N38));
        c.add(col("n38_tiny", "NUMERIC(38,18)", N38_TINY.toPlainString(), N38_TINY));
        c.add(col("big_min", "BIGINT", "-9223372036854775808", Long.MIN_VALUE));
        c.add(col("big_max", "BIGINT", "9223372036854775807", Long.MAX_VALUE));
        c.add(col("small", "SMALLINT", "-32768", -32768));
        c.add(col("r_nan", "REAL", "'NaN'", Float.NaN));
        c.add(col("r_inf", "REAL", "'Infinity'", Float.POSITIVE_INFINITY));
        c.add(col("r_max", "REAL", "3.4028235e38", Float.MAX_VALUE));
        c.add(col("d_ninf", "DOUBLE PRECISION", "'-Infinity'", Double.NEGATIVE_INFINITY));
        c.add(col("d_tenth", "DOUBLE PRECISION", "0.1", 0.1d));
        c.add(col("d_min", "DOUBLE PRECISION", "4.9e-324", Double.MIN_VALUE));
        c.add(col("flag", "BOOLEAN", "true", true));
        c.add(col("birth", "DATE", "'1949-11-26'", LocalDate.of(1949, 11, 26)));
        c.add(col("birth_min", "DATE", "'0001-01-01'", LocalDate.of(1, 1, 1)));
        c.add(col("t", "TIME(6)", "'23:59:59.999999'", LocalTime.of(23, 59, 59, 999_999_000)));
        c.add(col("ts", "TIMESTAMP(6)", "'2023-01-27 16:17:47.123456'",
                LocalDateTime.of(2023, 1, 27, 16, 17, 47, 123_456_000)));
        c.add(col("tstz", "TIMESTAMPTZ(6)", "'2020-05-01 08:00:00.000001-04'",
                OffsetDateTime.of(2020, 5, 1, 12, 0, 0, 1000, ZoneOffset.UTC)));
        c.add(col("iv", "INTERVAL", "'1 year 2 mons 3 days 04:05:06.789'",
                "1 year 2 mons 3 days 04:05:06.789"));
        c.add(col("u", "UUID", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        c.add(col("j", "JSON", "'{\"b\": 1.50, \"a\": [1, null, \"\\u0000\"]}'",
                json("{\"b\": 1.50, \"a\": [1, null, \"\\u0000\"]}")));
        c.add(col("jb", "JSONB", "'{\"a\": 0.43326861999147326, \"big\": 12345678901234567890}'",
                json("{\"a\": 0.43326861999147326, \"big\": 12345678901234567890}")));
        c.add(col("ints", "INT[]", "'{1,2,NULL}'", json("[1,2,null]")));
        c.add(col("words", "TEXT[]", "'{\"a b\",\"\",NULL}'", json("[\"a b\",\"\",null]")));
        c.add(col("raw", "BYTEA", "'\\x00ff10'", new byte[] {0, (byte) 0xff, 0x10}));
        c.add(col("txt", "TEXT", "'" + ASTRAL.replace("'", "''") + "'", ASTRAL));
        c.add(col("empty", "TEXT", "''", ""));
        c.add(col("mood", "matrix_mood", "'sad'", "sad"));
        return new TypeMatrix("postgresql",
                List.of("CREATE TYPE matrix_mood AS ENUM ('happy', 'sad')"), c);
    }

    /**
     * Returns the MariaDB matrix. MariaDB has no NaN or infinities, intervals or arrays; it has
     * zero dates and times beyond 24 hours, which the out-of-range policy handles. The setup
     * lifts the session's strict mode so that the zero dates can be inserted.
     *
     * @return the matrix
     */
    public static TypeMatrix mariadb() {
        List<Column> c = new ArrayList<>();
        c.add(col("n38", "DECIMAL(38,18)", N38.toPlainString(), N38));
        c.add(col("n38_tiny", "DECIMAL(38,18)", N38_TINY.toPlainString(), N38_TINY));
        c.add(col("big_min", "BIGINT", "-9223372036854775808", Long.MIN_VALUE));
        c.add(col("big_max", "BIGINT", "9223372036854775807", Long.MAX_VALUE));
        c.add(col("ubig", "BIGINT UNSIGNED", "18446744073709551615",
                new BigDecimal("18446744073709551615")));
        c.add(col("uint", "INT UNSIGNED", "4294967295", 4294967295L));
        c.add(col("f", "FLOAT", "1.5", 1.5f));
        c.add(col("d", "DOUBLE", "0.43326861999147326", 0.43326861999147326));
        c.add(col("flag", "BOOLEAN", "true", true));
        c.add(col("birth", "DATE", "'1949-11-26'", LocalDate.of(1949, 11, 26)));
        c.add(col("t", "TIME(6)", "'23:59:59.999999'", LocalTime.of(23, 59, 59, 999_999_000)));
        c.add(new Column("t_long", "TIME(6)", "'838:59:59.000000'", null,
                Optional.of("jdbc.outOfRange.t_long")));
        c.add(new Column("t_neg", "TIME", "'-01:00:00'", null,
                Optional.of("jdbc.outOfRange.t_neg")));
        c.add(col("dt", "DATETIME(6)", "'2023-01-27 16:17:47.123456'",
                LocalDateTime.of(2023, 1, 27, 16, 17, 47, 123_456_000)));
        c.add(col("ts", "TIMESTAMP(6) NULL", "'2020-05-01 12:00:00.000001'",
                OffsetDateTime.of(2020, 5, 1, 12, 0, 0, 1000, ZoneOffset.UTC)));
        c.add(new Column("zero_day", "DATE", "'0000-00-00'", null,
                Optional.of("jdbc.outOfRange.zero_day")));
        c.add(new Column("zero_dt", "DATETIME", "'0000-00-00 00:00:00'", null,
                Optional.of("jdbc.outOfRange.zero_dt")));
        c.add(new Column("part_zero", "DATE", "'2020-00-15'", null,
                Optional.of("jdbc.outOfRange.part_zero")));
        c.add(col("u", "UUID", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        c.add(col("raw", "BLOB", "x'00ff10'", new byte[] {0, (byte) 0xff, 0x10}));
        c.add(col("txt", "TEXT CHARACTER SET utf8mb4", "'" + ASTRAL.replace("'", "''") + "'",
                ASTRAL));
        c.add(col("nul", "TEXT CHARACTER SET utf8mb4", "CONCAT('a', CHAR(0 USING utf8mb4), 'b')",
                "a\u0000b"));
        c.add(col("empty", "VARCHAR(10)", "''", ""));
        c.add(col("kind", "ENUM('in','out')", "'out'", "out"));
        return new TypeMatrix("mariadb", List.of("SET SESSION sql_mode = ''",
                "SET time_zone = '+00:00'"), c);
    }

    /**
     * Returns the H2 matrix: nanosecond times, offsets kept by TIMESTAMP WITH TIME ZONE.
     *
     * @return the matrix
     */
    public static TypeMatrix h2() {
        List<Column> c = new ArrayList<>();
        c.add(col("n38", "NUMERIC(38,18)", N38.toPlainString(), N38));
        c.add(col("big_min", "BIGINT", "-9223372036854775808", Long.MIN_VALUE));
        c.add(col("big_max", "BIGINT", "9223372036854775807", Long.MAX_VALUE));
        c.add(col("r_nan", "REAL", "CAST('NaN' AS REAL)", Float.NaN));
        c.add(col("d_inf", "DOUBLE PRECISION", "CAST('-Infinity' AS DOUBLE PRECISION)",
                Double.NEGATIVE_INFINITY));
        c.add(col("flag", "BOOLEAN", "TRUE", true));
        c.add(col("birth", "DATE", "DATE '1949-11-26'", LocalDate.of(1949, 11, 26)));
        c.add(col("t", "TIME(9)", "TIME '23:59:59.123456789'",
                LocalTime.of(23, 59, 59, 123_456_789)));
        c.add(col("ts", "TIMESTAMP(9)", "TIMESTAMP '2023-01-27 16:17:47.123456789'",
                LocalDateTime.of(2023, 1, 27, 16, 17, 47, 123_456_789)));
        c.add(col("tstz", "TIMESTAMP(9) WITH TIME ZONE",
                "TIMESTAMP WITH TIME ZONE '2020-05-01 08:00:00.000000001-04:00'",
                OffsetDateTime.of(2020, 5, 1, 8, 0, 0, 1, ZoneOffset.ofHours(-4))));
        c.add(col("iv", "INTERVAL DAY TO SECOND", "INTERVAL '1 02:03:04.5' DAY TO SECOND",
                "INTERVAL '1 02:03:04.5' DAY TO SECOND"));
        c.add(col("u", "UUID", "UUID 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        c.add(col("j", "JSON", "JSON '{\"a\":[1,null],\"b\":1.50}'",
                json("{\"a\":[1,null],\"b\":1.50}")));
        c.add(col("ints", "INTEGER ARRAY", "ARRAY[1, 2, NULL]", json("[1,2,null]")));
        c.add(col("raw", "VARBINARY(8)", "X'00ff10'", new byte[] {0, (byte) 0xff, 0x10}));
        c.add(col("lob", "BLOB", "X'00ff10'", new byte[] {0, (byte) 0xff, 0x10}));
        c.add(col("txt", "VARCHAR(64)", "'" + ASTRAL.replace("'", "''") + "'", ASTRAL));
        c.add(col("nul", "VARCHAR(8)", "'a' || CHAR(0) || 'b'", "a\u0000b"));
        c.add(col("empty", "VARCHAR(8)", "''", ""));
        c.add(col("kind", "ENUM('in','out')", "'out'", "out"));
        return new TypeMatrix("h2", List.of(), c);
    }

    private static Column col(String name, String sqlType, String literal, Object expected) {
        return new Column(name, sqlType, literal, expected, Optional.empty());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON in the matrix", e);
        }
    }

    /**
     * Returns the database the matrix is for.
     *
     * @return {@code postgresql}, {@code mariadb} or {@code h2}
     */
    public String database() {
        return database;
    }

    /**
     * Returns the columns in table order.
     *
     * @return an unmodifiable list
     */
    public List<Column> columns() {
        return columns;
    }

    /**
     * Returns the statements that create the table and insert the hard row and an all-NULL row,
     * in that order.
     *
     * @param table the table name
     * @return SQL statements to run in order
     */
    public List<String> statements(String table) {
        List<String> sql = new ArrayList<>(setup);
        sql.add("CREATE TABLE " + table + " (" + columns.stream()
                .map(c -> c.name() + " " + c.sqlType()).collect(Collectors.joining(", ")) + ")");
        sql.add("INSERT INTO " + table + " VALUES (" + columns.stream().map(Column::literal)
                .collect(Collectors.joining(", ")) + ")");
        sql.add("INSERT INTO " + table + " VALUES (" + columns.stream().map(c -> "NULL")
                .collect(Collectors.joining(", ")) + ")");
        return sql;
    }

    @Override
    public String toString() {
        return "TypeMatrix[" + database + ", " + columns.size() + " columns]";
    }
}
