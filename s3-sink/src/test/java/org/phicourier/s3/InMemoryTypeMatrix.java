package org.phicourier.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/** One field of every core type, and rows of edge values for each, built in memory. */
final class InMemoryTypeMatrix {
    static final Schema SCHEMA = schema();
    private static final ObjectMapper JSON = RowJsonReader.EXACT;

    private InMemoryTypeMatrix() {
    }

    private static Schema schema() {
        List<Field> fields = new ArrayList<>();
        for (FieldType type : FieldType.values()) {
            fields.add(Field.of(type.name().toLowerCase(java.util.Locale.ROOT), type));
        }
        return Schema.of(fields);
    }

    /** Rows of edge values, a row of nulls and a row of empty values where a type has one. */
    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(row("plain, \"quoted\"\r\nnext line", Integer.MIN_VALUE, Long.MIN_VALUE,
                Float.NaN, Double.NaN,
                new BigDecimal("12345678901234567890.123456789012345678"), true,
                LocalDate.of(1, 1, 1), LocalTime.of(23, 59, 59, 999_999_999),
                LocalDateTime.of(2026, 12, 31, 23, 59, 59, 123_456_789),
                OffsetDateTime.of(2026, 3, 8, 2, 30, 0, 1, ZoneOffset.ofHours(-5)),
                new byte[] {0, 1, -1, 127, -128}, json("{\"a\":[1,2.5,null,\"x\"],\"b\":{}}")));
        rows.add(row("NUL \u0000 and astral \uD83D\uDE00 \uD834\uDD1E", Integer.MAX_VALUE,
                Long.MAX_VALUE, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                new BigDecimal("-99999999999999999999.999999999999999999"), false,
                LocalDate.of(9999, 12, 31), LocalTime.MIDNIGHT,
                LocalDateTime.of(1970, 1, 1, 0, 0), OffsetDateTime.of(1999, 12, 31, 23, 59, 59,
                        999_999_999, ZoneOffset.ofHoursMinutes(5, 45)),
                new byte[] {}, json("\"a JSON string\"")));
        rows.add(row("", 0, 0L, Float.NEGATIVE_INFINITY, Double.MIN_VALUE,
                new BigDecimal("0.000000000000000001"), true, LocalDate.of(2024, 2, 29),
                LocalTime.of(0, 0, 0, 1), LocalDateTime.of(2024, 2, 29, 12, 0, 0, 1),
                OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 0, ZoneOffset.UTC), new byte[] {0},
                json("[]")));
        rows.add(row(" , ", -1, -1L, Float.MIN_VALUE, Double.MAX_VALUE, BigDecimal.ZERO, false,
                LocalDate.of(2000, 1, 1), LocalTime.NOON, LocalDateTime.of(2000, 1, 1, 0, 0),
                OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(14)),
                new byte[] {34, 44, 13, 10}, json("null")));
        rows.add(Row.of(SCHEMA, new Object[SCHEMA.size()]));
        return rows;
    }

    /** The rows, but JSON null in the nested JSON field as null, which JSON Lines cannot tell. */
    static List<Row> rowsAsJsonLinesReadThem() {
        List<Row> rows = new ArrayList<>();
        int json = SCHEMA.indexOf("json");
        for (Row row : rows()) {
            Object[] values = new Object[SCHEMA.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            if (values[json] instanceof JsonNode node && node.isNull()) {
                values[json] = null;
            }
            rows.add(Row.of(SCHEMA, values));
        }
        return rows;
    }

    private static Row row(Object... values) {
        return Row.of(SCHEMA, values);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
