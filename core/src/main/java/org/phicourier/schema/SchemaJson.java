package org.phicourier.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.phicourier.IntegrityException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;

/**
 * Writes a {@link Schema} as JSON and reads it back: the form kept with the pipeline's state and
 * written beside the data, so that readers can decode records exactly. It holds field names,
 * types and source facts only, never a value. Thread-safe.
 *
 * <p>Shape: {@code {"fields": [{"name": "ssn", "type": "STRING", "nullable": true,
 * "sourceType": "varchar(11)", "precision": 11, "key": false, "originalName": "SSN #"}]}};
 * optional members are left out when unknown.
 */
public final class SchemaJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaJson() {
    }

    /**
     * Renders a schema.
     *
     * @param schema the schema
     * @return a JSON object with a {@code fields} array
     */
    public static ObjectNode toJson(Schema schema) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode fields = root.putArray("fields");
        for (Field field : schema.fields()) {
            ObjectNode node = fields.addObject();
            node.put("name", field.name());
            node.put("type", field.type().name());
            node.put("nullable", field.nullable());
            field.sourceType().ifPresent(t -> node.put("sourceType", t));
            field.precision().ifPresent(p -> node.put("precision", p));
            field.scale().ifPresent(s -> node.put("scale", s));
            node.put("key", field.key());
            field.originalName().ifPresent(n -> node.put("originalName", n));
        }
        return root;
    }

    /**
     * Renders a schema as compact JSON text.
     *
     * @param schema the schema
     * @return the JSON text
     */
    public static String toText(Schema schema) {
        try {
            return JSON.writeValueAsString(toJson(schema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schema could not be rendered", e);
        }
    }

    /**
     * Reads a schema that {@link #toJson(Schema)} wrote.
     *
     * @param json the JSON object
     * @return the schema
     * @throws IntegrityException when the JSON is not such a schema
     */
    public static Schema fromJson(JsonNode json) {
        JsonNode fields = json.get("fields");
        if (fields == null || !fields.isArray()) {
            throw new IntegrityException("a stored schema has no field list");
        }
        List<Field> list = new ArrayList<>();
        try {
            for (JsonNode node : fields) {
                list.add(field(node));
            }
            return Schema.of(list);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IntegrityException("a stored schema is malformed");
        }
    }

    /**
     * Reads a schema from JSON text.
     *
     * @param text the JSON text
     * @return the schema
     * @throws IntegrityException when the text is not such a schema
     */
    public static Schema fromText(String text) {
        try {
            return fromJson(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IntegrityException("a stored schema is not JSON");
        }
    }

    private static Field field(JsonNode node) {
        Field.Builder builder = Field.builder(node.get("name").textValue(),
                FieldType.valueOf(node.get("type").textValue().toUpperCase(Locale.ROOT)))
                .nullable(node.path("nullable").asBoolean(true))
                .key(node.path("key").asBoolean(false));
        if (node.hasNonNull("sourceType")) {
            builder.sourceType(node.get("sourceType").textValue());
        }
        if (node.hasNonNull("precision")) {
            builder.precision(node.get("precision").intValue());
        }
        if (node.hasNonNull("scale")) {
            builder.scale(node.get("scale").intValue());
        }
        if (node.hasNonNull("originalName")) {
            builder.originalName(node.get("originalName").textValue());
        }
        return builder.build();
    }
}
