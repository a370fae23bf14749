package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.phicourier.SchemaViolationException;

/**
 * Walks one JSON value (a FHIR resource or any nested JSON) and builds its de-identified copy:
 * every leaf gets a decision from its path and enclosing FHIR datatype; extensions and
 * primitive extensions are decided as a whole by URL; empty objects and arrays disappear.
 * Free-text leaves are deferred to the end of the record. Not thread-safe.
 */
final class JsonWalker {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String stream;
    private final Resolution resolution;
    private final ValueOps ops;
    private final boolean scrub;
    private final boolean failOnUnknown;
    private final int[] budget;

    JsonWalker(String stream, Resolution resolution, ValueOps ops, boolean scrub,
            boolean failOnUnknown, int[] budget) {
        this.stream = stream;
        this.resolution = resolution;
        this.ops = ops;
        this.scrub = scrub;
        this.failOnUnknown = failOnUnknown;
        this.budget = budget;
    }

    /** Returns the de-identified copy, empty when nothing of the value survives. */
    Optional<JsonNode> walk(JsonNode value, PathNode root, RecordContext record) {
        if (value.isObject()) {
            ObjectNode out = object(value, root, FhirType.NONE, record);
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        }
        if (value.isArray()) {
            ArrayNode out = array(value, root, root.key(), FhirType.NONE, record);
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        }
        return leaf(value, root, FhirType.NONE, record, v -> { });
    }

    private ObjectNode object(JsonNode in, PathNode node, FhirType type, RecordContext record) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : in.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            PathNode child = node.child(key, budget);
            Optional<JsonNode> result = value.isObject()
                    ? nonEmpty(element(key, value, child, type, record))
                    : value.isArray() ? nonEmpty(array(value, child, key, type, record))
                    : leaf(value, child, type, record, text -> out.set(key, text));
            result.ifPresent(r -> out.set(key, r));
        }
        return out;
    }

    private JsonNode element(String key, JsonNode value, PathNode node, FhirType parent,
            RecordContext record) {
        FhirType type = parent.sticky() ? parent : FhirType.detect(key, value, parent);
        if (type == FhirType.EXTENSION && !parent.sticky()) {
            return forced(value, node, resolution.forExtension(value.path("url").asText("")),
                    record);
        }
        if (type == FhirType.PRIMITIVE_EXTENSION && !parent.sticky()) {
            return forced(value, node, resolution.forCategory(Category.EXTENSION,
                    Decision.Source.FHIR_TYPE), record);
        }
        return object(value, node, type, record);
    }

    private ArrayNode array(JsonNode in, PathNode node, String key, FhirType parent,
            RecordContext record) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode item : in) {
            int index = out.size();
            Optional<JsonNode> result = item.isObject()
                    ? nonEmpty(element(key, item, node, parent, record))
                    : item.isArray() ? nonEmpty(array(item, node, key, parent, record))
                    : leaf(item, node, parent, record, text -> out.set(index, text));
            result.ifPresent(out::add);
        }
        return out;
    }

    private static Optional<JsonNode> nonEmpty(JsonNode node) {
        return node.isEmpty() ? Optional.empty() : Optional.of(node);
    }

    /** Applies one decision to a whole extension element; its {@code url} always stays. */
    private JsonNode forced(JsonNode in, PathNode node, Decision decision, RecordContext record) {
        if (decision.operation().kind() == Operation.Kind.DROP) {
            node.count(Outcome.DROPPED);
            return NODES.objectNode();
        }
        if (in.isObject()) {
            ObjectNode out = NODES.objectNode();
            in.properties().forEach(field -> {
                PathNode child = node.child(field.getKey(), budget);
                if (field.getKey().equals("url") && field.getValue().isTextual()) {
                    out.set("url", field.getValue());
                } else {
                    JsonNode result = forced(field.getValue(), child, decision, record);
                    if (!result.isContainerNode() || !result.isEmpty()) {
                        out.set(field.getKey(), result);
                    }
                }
            });
            return out;
        }
        if (in.isArray()) {
            ArrayNode out = NODES.arrayNode();
            in.forEach(item -> out.add(forced(item, node, decision, record)));
            return out;
        }
        return apply(in, node, FhirType.EXTENSION, decision, record, v -> { })
                .orElse(NODES.objectNode());
    }

    private Optional<JsonNode> leaf(JsonNode value, PathNode node, FhirType type,
            RecordContext record, Consumer<TextNode> deferred) {
        Decision decision = node.decision(type);
        if (decision == null) {
            decision = resolution.forLeaf(node, type);
            node.decide(type, decision);
        }
        if (decision.source() == Decision.Source.UNKNOWN) {
            return unknown(node, record);
        }
        if (!decision.explicit() && decision.operation().kind() == Operation.Kind.KEEP
                && value.isTextual() && Dates.looksLikeFullDate(value.textValue())) {
            decision = resolution.forCategory(Category.DATE, decision.source());
        }
        return apply(value, node, type, decision, record, deferred);
    }

    private Optional<JsonNode> unknown(PathNode node, RecordContext record) {
        node.count(Outcome.UNKNOWN);
        if (failOnUnknown) {
            throw new SchemaViolationException("stream '" + stream + "', field '" + node.path()
                    + "', row " + record.position + ": no rule, datatype or classifier covers"
                    + " this field and the unknown-field policy is FAIL");
        }
        return Optional.empty();
    }

    private Optional<JsonNode> apply(JsonNode value, PathNode node, FhirType type,
            Decision decision, RecordContext record, Consumer<TextNode> deferred) {
        if (value.isNull()) {
            return Optional.of(value);
        }
        Operation op = decision.operation();
        if (scrub && value.isTextual() && Terms.collects(decision.category())
                && Terms.aboutThePerson(type)) {
            record.terms().add(decision.category(), value.textValue());
        }
        switch (op.kind()) {
            case KEEP:
                node.count(Outcome.KEPT);
                return Optional.of(value);
            case DROP:
                node.count(Outcome.DROPPED);
                return Optional.empty();
            case SCRUB:
                return deferScrub(value, node, decision, record, deferred);
            default:
                return transformed(value, node, decision, record);
        }
    }

    private Optional<JsonNode> deferScrub(JsonNode value, PathNode node, Decision decision,
            RecordContext record, Consumer<TextNode> deferred) {
        if (!value.isTextual()) {
            throw new FieldFailure(node.path(), "free text is not text");
        }
        Scrubber.Form form = node.key().equals("div") ? Scrubber.Form.XHTML
                : node.key().equals("data") && decision.category() == Category.FREE_TEXT
                ? Scrubber.Form.BASE64 : Scrubber.Form.PLAIN;
        record.defer(new RecordContext.PendingText(text -> deferred.accept(TextNode.valueOf(text)),
                value.textValue(), form, node.path(), node.counts));
        return Optional.of(TextNode.valueOf(""));
    }

    private Optional<JsonNode> transformed(JsonNode value, PathNode node, Decision decision,
            RecordContext record) {
        Object input = value.isTextual() ? value.textValue()
                : value.isNumber() ? value.numberValue() : value.asText();
        try {
            Optional<Object> result = ops.apply(decision.operation(), decision.category(),
                    node.path(), input, record.offset());
            if (result.isEmpty()) {
                node.count(Outcome.DROPPED);
                return Optional.empty();
            }
            node.count(ops.outcome());
            return Optional.of(TextNode.valueOf(String.valueOf(result.get())));
        } catch (BadValueException e) {
            throw new FieldFailure(node.path(), e.getMessage() + " for operation '"
                    + decision.operation() + "'");
        }
    }

    @Override
    public String toString() {
        return "JsonWalker[stream=" + stream + "]";
    }
}
