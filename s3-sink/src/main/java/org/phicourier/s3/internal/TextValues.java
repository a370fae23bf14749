package org.phicourier.s3.internal;

import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_TIME;
import static java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.phicourier.IntegrityException;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * The text form of each field type, shared by CSV and by the string values of JSON Lines, so
 * that both formats read back to the same values. Thread-safe.
 */
public final class TextValues {
    /** Nested JSON is read as JSON Lines reads it: decimals exact, trailing zeros kept. */
    private static final ObjectMapper JSON = RowJsonReader.EXACT;

    private TextValues() {
    }

    /**
     * Returns a non-null value as text.
     *
     * @param field the field the value belongs to
     * @param value the value, of the field type's Java class
     * @return the text
     * @throws JsonProcessingException when nested JSON cannot be written
     */
    public static String format(Field field, Object value) throws JsonProcessingException {
        return switch (field.type()) {
            case STRING -> (String) value;
            case INT32, INT64, FLOAT32, FLOAT64, BOOLEAN -> value.toString();
            case DECIMAL -> ((BigDecimal) value).toString();
            case DATE -> ISO_LOCAL_DATE.format((LocalDate) value);
            case TIME -> ISO_LOCAL_TIME.format((LocalTime) value);
            case TIMESTAMP -> ISO_LOCAL_DATE_TIME.format((LocalDateTime) value);
            case TIMESTAMP_TZ -> ISO_OFFSET_DATE_TIME.format((OffsetDateTime) value);
            case BINARY -> Base64.getEncoder().encodeToString((byte[]) value);
            case JSON -> JSON.writeValueAsString((JsonNode) value);
        };
    }

    /**
     * Parses text back into a value of the field's type.
     *
     * @param field the field
     * @param text the text {@link #format} wrote
     * @return the value
     * @throws IllegalArgumentException when the text is not of the field's type; the message
     *     names the type, never the text
     */
    public static Object parse(Field field, String text) {
        try {
            return switch (field.type()) {
                case STRING -> text;
                case INT32 -> Integer.valueOf(text);
                case INT64 -> Long.valueOf(text);
                case FLOAT32 -> Float.valueOf(text);
                case FLOAT64 -> Double.valueOf(text);
                case DECIMAL -> new BigDecimal(text);
                case BOOLEAN -> parseBoolean(text);
                case DATE -> LocalDate.parse(text);
                case TIME -> LocalTime.parse(text);
                case TIMESTAMP -> LocalDateTime.parse(text);
                case TIMESTAMP_TZ -> OffsetDateTime.parse(text);
                case BINARY -> Base64.getDecoder().decode(text);
                case JSON -> JSON.readTree(text);
            };
        } catch (RuntimeException | JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + field.type() + " value");
        }
    }

    /**
     * Decodes a CSV record (field name to text, null for null) into a row.
     *
     * @param schema the schema the record was written with
     * @param record the record
     * @return the row
     * @throws IntegrityException when a field is absent or its text does not fit its type; the
     *     message names the field, never the value
     */
    public static Row decode(Schema schema, ObjectNode record) {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            Field field = schema.field(i);
            JsonNode node = record.get(field.name());
            if (node == null) {
                throw new IntegrityException("field '" + field.name() + "' is absent");
            }
            values[i] = node.isNull() ? null : decode(field, node.asText());
        }
        try {
            return Row.of(schema, values);
        } catch (IllegalArgumentException e) {
            throw new IntegrityException(e.getMessage());
        }
    }

    private static Object decode(Field field, String text) {
        try {
            return parse(field, text);
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("field '" + field.name() + "': " + e.getMessage());
        }
    }

    private static Boolean parseBoolean(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("not a boolean");
    }
}
