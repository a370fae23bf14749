package org.phicourier.s3.internal;

import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_TIME;
import static java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.phicourier.model.Field;

/**
 * The text form of each field type, shared by CSV and by the string values of JSON Lines, so
 * that both formats read back to the same values. Thread-safe.
 */
public final class TextValues {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private static Boolean parseBoolean(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("not a boolean");
    }
}
