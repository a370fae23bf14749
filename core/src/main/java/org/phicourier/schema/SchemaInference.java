package org.phicourier.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;

/**
 * Infers the schema of JSON input (such as FHIR NDJSON or API responses) from sample records:
 * one field per top-level member, in the order members are first seen.
 *
 * <p>Types: integers that fit 64 bits are {@code INT64}; any other number, or a mix of numbers,
 * is {@code DECIMAL} (never a double); booleans are {@code BOOLEAN}, text {@code STRING}, objects
 * and arrays {@code JSON}. A member whose records disagree otherwise (text in one, a number in
 * another), or that is only ever null, is {@code JSON}: no value is ever turned into text
 * silently. A member that is null or absent in any record is nullable. Stateless and thread-safe.
 */
public final class SchemaInference {
    private static final Set<FieldType> NUMBERS = Set.of(FieldType.INT64, FieldType.DECIMAL);

    private SchemaInference() {
    }

    /**
     * Infers a schema.
     *
     * @param records JSON objects; other nodes are ignored
     * @return the schema
     */
    public static Schema infer(Iterable<? extends JsonNode> records) {
        Map<String, Optional<FieldType>> types = new LinkedHashMap<>();
        Map<String, Boolean> nullable = new LinkedHashMap<>();
        long count = 0;
        Map<String, Long> seen = new LinkedHashMap<>();
        for (JsonNode record : records) {
            if (!record.isObject()) {
                continue;
            }
            count++;
            for (Map.Entry<String, JsonNode> member : record.properties()) {
                String name = member.getKey();
                seen.merge(name, 1L, Long::sum);
                Optional<FieldType> type = typeOf(member.getValue());
                nullable.merge(name, type.isEmpty(), Boolean::logicalOr);
                types.merge(name, type, SchemaInference::combine);
            }
        }
        long total = count;
        return Schema.of(types.entrySet().stream().map(e -> Field.builder(e.getKey(),
                e.getValue().orElse(FieldType.JSON)).nullable(nullable.get(e.getKey())
                || seen.get(e.getKey()) < total || e.getValue().isEmpty()).build()).toList());
    }

    private static Optional<FieldType> typeOf(JsonNode node) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Optional.of(FieldType.INT64);
        }
        if (node.isNumber()) {
            return Optional.of(FieldType.DECIMAL);
        }
        if (node.isBoolean()) {
            return Optional.of(FieldType.BOOLEAN);
        }
        return Optional.of(node.isTextual() ? FieldType.STRING : FieldType.JSON);
    }

    private static Optional<FieldType> combine(Optional<FieldType> a, Optional<FieldType> b) {
        if (a.isEmpty() || b.isEmpty() || a.equals(b)) {
            return a.isPresent() ? a : b;
        }
        if (NUMBERS.contains(a.get()) && NUMBERS.contains(b.get())) {
            return Optional.of(FieldType.DECIMAL);
        }
        return Optional.of(FieldType.JSON);
    }
}
