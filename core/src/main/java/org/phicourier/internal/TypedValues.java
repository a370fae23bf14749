package org.phicourier.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * Encodes the values of a row as a JSON array and back, exactly: decimals and floating-point
 * numbers as their text, dates and times as ISO-8601 with their offset, binary as Base64.
 */
final class TypedValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TypedValues() {
    }

    static ArrayNode encode(Row row) {
        ArrayNode array = NODES.arrayNode(row.size());
        for (int i = 0; i < row.size(); i++) {
            array.add(encode(row.schema().field(i).type(), row.get(i)));
        }
        return array;
    }

    private static JsonNode encode(FieldType type, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (type) {
            case STRING -> NODES.textNode((String) value);
            case INT32 -> NODES.numberNode((Integer) value);
            case INT64 -> NODES.numberNode((Long) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case BINARY -> NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            case JSON -> (JsonNode) value;
            case DECIMAL -> NODES.textNode(((BigDecimal) value).toString());
            default -> NODES.textNode(value.toString());
        };
    }

    /**
     * Decodes values that {@link #encode(Row)} wrote.
     *
     * @throws IllegalArgumentException when the array does not fit the schema
     */
    static Row decode(Schema schema, JsonNode array) {
        if (!array.isArray() || array.size() != schema.size()) {
            throw new IllegalArgumentException("values do not match their fields");
        }
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = decode(schema.field(i), array.get(i));
        }
        return Row.of(schema, values);
    }

    private static Object decode(Field field, JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        return switch (field.type()) {
            case STRING -> node.textValue();
            case INT32 -> Math.toIntExact(node.longValue());
            case INT64 -> node.longValue();
            case BOOLEAN -> node.booleanValue();
            case BINARY -> Base64.getDecoder().decode(node.textValue());
            case JSON -> node;
            case DECIMAL -> new BigDecimal(node.textValue());
            case FLOAT32 -> Float.parseFloat(node.textValue());
            case FLOAT64 -> Double.parseDouble(node.textValue());
            case DATE -> LocalDate.parse(node.textValue());
            case TIME -> LocalTime.parse(node.textValue());
            case TIMESTAMP -> LocalDateTime.parse(node.textValue());
            case TIMESTAMP_TZ -> OffsetDateTime.parse(node.textValue());
        };
    }
}
