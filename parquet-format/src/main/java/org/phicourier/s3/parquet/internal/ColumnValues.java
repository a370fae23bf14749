package org.phicourier.s3.parquet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.parquet.io.api.Binary;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Field;
import org.phicourier.model.Row;

/** Converts a row to the primitive values of its Parquet columns. */
final class ColumnValues {
    private static final long NANOS = 1_000_000_000L;

    private ColumnValues() {
    }

    /**
     * Converts a row.
     *
     * @throws IOException naming the field, never the value, when a value has no Parquet form
     */
    static Object[] of(Columns columns, Row row) throws IOException {
        Object[] values = new Object[columns.message().getFieldCount()];
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            if (value == null) {
                continue;
            }
            Field field = columns.schema().field(i);
            try {
                values[columns.column(i)] = convert(field, value);
                if (value instanceof OffsetDateTime time) {
                    values[columns.column(i) + 1] = time.getOffset().getTotalSeconds();
                }
            } catch (ArithmeticException e) {
                throw new IOException("field '" + field.name() + "': " + e.getMessage());
            }
        }
        return values;
    }

    private static Object convert(Field field, Object value) throws IOException {
        return switch (field.type()) {
            case STRING -> Binary.fromString((String) value);
            case INT32, INT64, FLOAT32, FLOAT64, BOOLEAN -> value;
            case DECIMAL -> decimal(field, (BigDecimal) value);
            case DATE -> Math.toIntExact(((LocalDate) value).toEpochDay());
            case TIME -> ((LocalTime) value).toNanoOfDay();
            case TIMESTAMP -> nanos(((LocalDateTime) value).toInstant(ZoneOffset.UTC));
            case TIMESTAMP_TZ -> nanos(((OffsetDateTime) value).toInstant());
            case BINARY -> Binary.fromReusedByteArray((byte[]) value);
            case JSON -> Binary.fromString(
                    RowJsonReader.EXACT.writeValueAsString((JsonNode) value));
        };
    }

    private static long nanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS),
                    instant.getNano());
        } catch (ArithmeticException e) {
            throw new ArithmeticException("outside the range of nanosecond timestamps"
                    + " (1677-09-21 to 2262-04-11)");
        }
    }

    private static Binary decimal(Field field, BigDecimal value) {
        if (!Columns.fixedDecimal(field)) {
            return Binary.fromString(value.toString());
        }
        int precision = field.precision().getAsInt();
        BigDecimal scaled;
        try {
            scaled = value.setScale(field.scale().getAsInt(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new ArithmeticException("a decimal with more fraction digits than scale "
                    + field.scale().getAsInt());
        }
        if (scaled.precision() > precision) {
            throw new ArithmeticException("a decimal with more digits than precision "
                    + precision);
        }
        return Binary.fromConstantByteArray(fixed(scaled.unscaledValue().toByteArray(),
                Columns.decimalBytes(precision)));
    }

    /** Sign-extends a two's-complement value to the column's fixed width. */
    private static byte[] fixed(byte[] unscaled, int width) {
        byte[] out = new byte[width];
        byte sign = unscaled[0] < 0 ? (byte) -1 : 0;
        int pad = width - unscaled.length;
        for (int i = 0; i < pad; i++) {
            out[i] = sign;
        }
        System.arraycopy(unscaled, 0, out, pad, unscaled.length);
        return out;
    }
}
