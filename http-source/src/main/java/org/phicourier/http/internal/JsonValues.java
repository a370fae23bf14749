package org.phicourier.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * Converts JSON records to rows of a flat schema: each field takes the record's property of the
 * same name, converted without loss to the field's type. A value of the wrong JSON kind fails
 * with the field name and the JSON kind, never the value.
 */
public final class JsonValues {
    private JsonValues() {
    }

    /**
     * Converts one record.
     *
     * @param schema the flat schema
     * @param record a JSON object
     * @return the row
     * @throws BodyFault when the record is not an object, or a property cannot be converted
     */
    public static Row row(Schema schema, JsonNode record) {
        if (!record.isObject()) {
            throw new BodyFault("the record is a JSON " + kind(record) + ", not an object");
        }
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            Field field = schema.field(i);
            values[i] = value(field, record.get(field.name()));
        }
        return Row.of(schema, values);
    }

    private static Object value(Field field, JsonNode node) {
        if (node == null || node.isNull()) {
            if (!field.nullable()) {
                throw new BodyFault("field '" + field.name() + "' is missing or null but the"
                        + " schema does not allow null");
            }
            return null;
        }
        try {
            return convert(field, node);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw mismatch(field, node);
        }
    }

    private static Object convert(Field field, JsonNode node) {
        return switch (field.type()) {
            case JSON -> node;
            case STRING -> require(field, node, node.isValueNode()).asText();
            case BOOLEAN -> require(field, node, node.isBoolean()).booleanValue();
            case INT32 -> require(field, node, node.isIntegralNumber() && node.canConvertToInt())
                    .intValue();
            case INT64 -> require(field, node,
                    node.isIntegralNumber() && node.canConvertToLong()).longValue();
            case FLOAT32 -> require(field, node, node.isNumber()).floatValue();
            case FLOAT64 -> require(field, node, node.isNumber()).doubleValue();
            case DECIMAL -> require(field, node, node.isNumber()).decimalValue();
            default -> fromText(field, require(field, node, node.isTextual()).textValue());
        };
    }

    private static Object fromText(Field field, String text) {
        return switch (field.type()) {
            case DATE -> LocalDate.parse(text);
            case TIME -> LocalTime.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text);
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text);
            case BINARY -> Base64.getDecoder().decode(text);
            default -> throw new IllegalStateException("unhandled type " + field.type());
        };
    }

    private static JsonNode require(Field field, JsonNode node, boolean ok) {
        if (!ok) {
            throw mismatch(field, node);
        }
        return node;
    }

    private static BodyFault mismatch(Field field, JsonNode node) {
        return new BodyFault("field '" + field.name() + "' holds a JSON " + kind(node)
                + " that cannot be read as " + field.type());
    }

    /**
     * Names the kind of a JSON value.
     *
     * @param node the value
     * @return object, array, string, number, boolean or null
     */
    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> "value";
        };
    }
}
