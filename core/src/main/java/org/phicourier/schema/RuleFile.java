package org.phicourier.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.phicourier.ConfigurationException;
import org.phicourier.model.FieldType;

/**
 * Reads declared field rules from a JSON file:
 *
 * <pre>{@code
 * {"rules": [
 *   {"field": "ssn", "stream": "patients", "required": true, "type": "STRING",
 *    "length": {"min": 11, "max": 11}, "pattern": "\\d{3}-\\d{2}-\\d{4}",
 *    "onViolation": "quarantine"},
 *   {"field": "age", "range": {"min": 0, "max": 130}},
 *   {"field": "state", "oneOf": ["MA", "NY"]},
 *   {"field": "resource", "resourceType": "Patient"}
 * ]}
 * }</pre>
 *
 * <p>Every member but {@code field} is optional; {@code onViolation} is one of {@code stop},
 * {@code quarantine}, {@code null} and {@code pass}. Unknown members fail, so that a misspelt
 * constraint is never silently ignored.
 */
public final class RuleFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MEMBERS = Set.of("field", "stream", "required", "type",
            "length", "range", "pattern", "oneOf", "resourceType", "onViolation");

    private RuleFile() {
    }

    /**
     * Reads the rules of a file.
     *
     * @param file the JSON file
     * @return the rules in file order
     * @throws ConfigurationException when the file cannot be read or a rule is malformed; the
     *     message names the rule's position and member
     */
    public static List<FieldRule> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigurationException("schema rules '" + file + "' cannot be read as JSON");
        }
        JsonNode rules = root == null ? null : root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new ConfigurationException("schema rules '" + file + "' need a \"rules\" array");
        }
        List<FieldRule> list = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            try {
                list.add(rule(rules.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("schema rules '" + file + "', rule " + (i + 1)
                        + ": " + e.getMessage());
            }
        }
        return list;
    }

    private static FieldRule rule(JsonNode node) {
        node.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException("unknown member '" + name + "'");
            }
        });
        FieldRule.Builder rule = FieldRule.builder(text(node, "field"));
        if (node.has("stream")) {
            rule.stream(text(node, "stream"));
        }
        if (node.path("required").asBoolean(false)) {
            rule.required();
        }
        if (node.has("type")) {
            rule.type(FieldType.valueOf(text(node, "type").toUpperCase(Locale.ROOT)));
        }
        if (node.has("length")) {
            rule.length(node.get("length").path("min").asInt(0),
                    node.get("length").path("max").asInt(Integer.MAX_VALUE));
        }
        if (node.has("range")) {
            rule.range(decimal(node.get("range"), "min"), decimal(node.get("range"), "max"));
        }
        if (node.has("pattern")) {
            rule.pattern(text(node, "pattern"));
        }
        if (node.has("oneOf")) {
            List<String> values = new ArrayList<>();
            node.get("oneOf").forEach(v -> values.add(v.asText()));
            rule.oneOf(values.toArray(String[]::new));
        }
        if (node.has("resourceType")) {
            rule.resourceType(text(node, "resourceType"));
        }
        if (node.has("onViolation")) {
            rule.onViolation(policy(text(node, "onViolation")));
        }
        return rule.build();
    }

    /**
     * Parses a violation policy name.
     *
     * @param name {@code stop}, {@code quarantine}, {@code null} or {@code pass}, in any case
     * @return the policy
     * @throws IllegalArgumentException when the name is none of those
     */
    public static ViolationPolicy policy(String name) {
        try {
            return ViolationPolicy.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("policy must be stop, quarantine, null or pass,"
                    + " not '" + name + "'");
        }
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + member + "' must be a string");
        }
        return value.textValue();
    }

    private static BigDecimal decimal(JsonNode range, String member) {
        JsonNode value = range.get(member);
        return value == null || value.isNull() ? null : new BigDecimal(value.asText());
    }
}
