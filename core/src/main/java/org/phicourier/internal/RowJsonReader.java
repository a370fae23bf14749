package org.phicourier.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.phicourier.IntegrityException;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * Turns one JSON Lines record that {@link RowJsonWriter} wrote back into a typed {@link Row}, the
 * exact inverse of the writer's encoding. Stateless and thread-safe.
 */
public final class RowJsonReader {
    /**
     * A mapper that keeps every decimal exact, trailing zeros included, so that a decimal's
     * scale survives the trip.
     */
    public static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private RowJsonReader() {
    }

    /**
     * Decodes a record.
     *
     * @param schema the schema the record was written with
     * @param record the record, read with {@link #EXACT} or an equally exact mapper
     * @return the row
     * @throws IntegrityException when a field is absent or its value does not fit its type;
     *     the message names the field, never the value
     */
    public static Row decode(Schema schema, ObjectNode record) {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            Field field = schema.field(i);
            JsonNode node = record.get(field.name());
            if (node == null) {
                throw new IntegrityException("field '" + field.name() + "' is absent");
            }
            values[i] = decode(field, node);
        }
        return Row.of(schema, values);
    }

    private static Object decode(Field field, JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        try {
            return value(field, node);
        } catch (ArithmeticException | IllegalArgumentException | DateTimeParseException e) {
            throw mismatch(field);
        }
    }

    private static Object value(Field field, JsonNode node) {
        return switch (field.type()) {
            case STRING -> text(field, node);
            case INT32 -> Math.toIntExact(integral(field, node).longValueExact());
            case INT64 -> integral(field, node).longValueExact();
            case FLOAT32 -> node.isTextual() ? Float.valueOf(node.textValue())
                    : Float.valueOf(number(field, node).floatValue());
            case FLOAT64 -> node.isTextual() ? Double.valueOf(node.textValue())
                    : Double.valueOf(number(field, node).doubleValue());
            case DECIMAL -> number(field, node);
            case BOOLEAN -> bool(field, node);
            case DATE -> LocalDate.parse(text(field, node));
            case TIME -> LocalTime.parse(text(field, node));
            case TIMESTAMP -> LocalDateTime.parse(text(field, node));
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text(field, node));
            case BINARY -> Base64.getDecoder().decode(text(field, node));
            case JSON -> node;
        };
    }

    private static String text(Field field, JsonNode node) {
        if (!node.isTextual()) {
            throw mismatch(field);
        }
        return node.textValue();
    }

    private static BigDecimal number(Field field, JsonNode node) {
        if (!node.isNumber()) {
            throw mismatch(field);
        }
        return node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue())
                : node.decimalValue();
    }

    private static BigDecimal integral(Field field, JsonNode node) {
        if (!node.isIntegralNumber()) {
            throw mismatch(field);
        }
        return new BigDecimal(node.bigIntegerValue());
    }

    private static Boolean bool(Field field, JsonNode node) {
        if (!node.isBoolean()) {
            throw mismatch(field);
        }
        return node.booleanValue();
    }

    private static IntegrityException mismatch(Field field) {
        return new IntegrityException("field '" + field.name() + "': the stored value is not a "
                + field.type());
    }
}
