package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.spi.StreamDescriptor;

/**
 * Proposes a {@link Category} for each column or JSON path of a stream, from its name and a
 * sample of its values (name parts, SSN, phone, e-mail, address, ZIP, dates, identifiers, free
 * text), for review before a run. The presets use the same name knowledge when no explicit rule
 * covers a field; what it cannot place is dropped under the presets.
 *
 * <p>Proposals carry categories, confidences and evidence in words, never a value. Instances
 * are immutable and thread-safe.
 */
public final class Classifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Category, Pattern> VALUE_SHAPES = shapes();
    private static final Set<Category> WEAK = Set.of(Category.CODE, Category.MEASURE,
            Category.DEMOGRAPHIC, Category.UNKNOWN, Category.FREE_TEXT);

    /**
     * One proposal.
     *
     * @param field the column name or JSON path
     * @param category the proposed category
     * @param confidence from 0 to 1
     * @param evidence why, in words; never a value
     */
    public record Proposal(String field, Category category, double confidence,
            List<String> evidence) {
        /**
         * Copies the evidence.
         *
         * @param field the column name or JSON path
         * @param category the proposed category
         * @param confidence from 0 to 1
         * @param evidence why, in words
         */
        public Proposal {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(category, "category");
            evidence = List.copyOf(evidence);
        }
    }

    private Classifier() {
    }

    /**
     * Returns the built-in classifier.
     *
     * @return the classifier
     */
    public static Classifier standard() {
        return new Classifier();
    }

    private static Map<Category, Pattern> shapes() {
        Map<Category, Pattern> shapes = new LinkedHashMap<>();
        shapes.put(Category.SSN, Pattern.compile("\\d{3}-\\d{2}-\\d{4}"));
        shapes.put(Category.EMAIL, Pattern.compile("[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}"));
        shapes.put(Category.PHONE, Pattern.compile("\\+?[\\d(][\\d ().-]{8,18}\\d"));
        shapes.put(Category.ZIP, Pattern.compile("\\d{5}(-\\d{4})?"));
        shapes.put(Category.RECORD_KEY, Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}"
                + "-[0-9a-f]{4}-[0-9a-f]{12}"));
        shapes.put(Category.DATE, Pattern.compile("\\d{4}-\\d{2}-\\d{2}([T ].*)?"));
        shapes.put(Category.STREET, Pattern.compile("\\d{1,6}\\s+[A-Za-z][\\w.' -]+"));
        shapes.put(Category.NAME, Pattern.compile("\\p{Lu}[\\p{L}'’-]+\\d*"));
        shapes.put(Category.MEASURE, Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?"));
        return shapes;
    }

    /**
     * Classifies every column of a stream, and every JSON path found in the sample.
     *
     * @param stream the stream and its schema
     * @param sample some of its rows; may be empty, then only names are used
     * @return one proposal per column or JSON path, in schema order
     */
    public List<Proposal> classify(StreamDescriptor stream, List<Row> sample) {
        List<Proposal> proposals = new ArrayList<>();
        for (int i = 0; i < stream.schema().size(); i++) {
            Field field = stream.schema().field(i);
            List<Object> values = new ArrayList<>();
            for (Row row : sample) {
                if (!row.isNull(i)) {
                    values.add(row.get(i));
                }
            }
            if (field.type() == FieldType.JSON) {
                proposals.addAll(classifyJson(field.name(), values));
            } else {
                proposals.add(classifyColumn(field, values));
            }
        }
        return proposals;
    }

    private static Proposal classifyColumn(Field field, List<Object> values) {
        Optional<Category> named = KnownNames.get().byName(field.name(),
                Optional.of(field.type()));
        Optional<Map.Entry<Category, Double>> shape = shape(values);
        List<String> evidence = new ArrayList<>();
        named.ifPresent(c -> evidence.add("name suggests " + c));
        shape.ifPresent(s -> evidence.add(String.format("%.0f%% of %d sampled values look like %s",
                s.getValue() * 100, values.size(), s.getKey())));
        if (field.type() == FieldType.BINARY) {
            return new Proposal(field.name(), Category.PHOTO, 0.8, List.of("binary content"));
        }
        boolean strongShape = shape.isPresent() && shape.get().getValue() >= 0.9
                && !WEAK.contains(shape.get().getKey()) && shape.get().getKey() != Category.NAME;
        if (named.isPresent() && !(strongShape && WEAK.contains(named.get()))) {
            boolean agrees = shape.map(s -> s.getKey() == named.get()).orElse(false);
            return new Proposal(field.name(), named.get(), agrees ? 0.95 : 0.8, evidence);
        }
        if (shape.isPresent() && shape.get().getValue() >= 0.8) {
            return new Proposal(field.name(), shape.get().getKey(), shape.get().getValue() * 0.9,
                    evidence);
        }
        evidence.add("neither name nor values place it: dropped under the presets");
        return new Proposal(field.name(), Category.UNKNOWN, 0, evidence);
    }

    private static Optional<Map.Entry<Category, Double>> shape(List<Object> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.stream().allMatch(v -> v instanceof Temporal)) {
            return Optional.of(Map.entry(Category.DATE, 1.0));
        }
        if (values.stream().allMatch(v -> v instanceof Number)) {
            return Optional.of(Map.entry(Category.MEASURE, 1.0));
        }
        if (freeText(values)) {
            return Optional.of(Map.entry(Category.FREE_TEXT, 1.0));
        }
        for (Map.Entry<Category, Pattern> entry : VALUE_SHAPES.entrySet()) {
            double share = share(values, entry.getValue());
            if (share >= 0.8) {
                return Optional.of(Map.entry(entry.getKey(), share));
            }
        }
        return Optional.empty();
    }

    private static boolean freeText(List<Object> values) {
        double length = values.stream().mapToInt(v -> String.valueOf(v).length()).average()
                .orElse(0);
        long spaced = values.stream().filter(v -> String.valueOf(v).strip().contains(" "))
                .count();
        return length > 40 && spaced * 2 > values.size();
    }

    private static double share(List<Object> values, Pattern pattern) {
        long matching = values.stream().filter(v -> pattern.matcher(String.valueOf(v).strip())
                .matches()).count();
        return (double) matching / values.size();
    }

    private static List<Proposal> classifyJson(String column, List<Object> values) {
        Map<String, Proposal> byPath = new LinkedHashMap<>();
        Resolution resolution = new Resolution(List.of(), Map.of(), Preset.safeHarbor()
                .operationsView());
        PathNode root = PathNode.root(column);
        int[] budget = {100_000};
        for (Object value : values) {
            visit((JsonNode) value, root, FhirType.NONE, resolution, byPath, budget);
        }
        return new ArrayList<>(byPath.values());
    }

    private static void visit(JsonNode node, PathNode path, FhirType type, Resolution resolution,
            Map<String, Proposal> byPath, int[] budget) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                PathNode child = path.child(field.getKey(), budget);
                JsonNode value = field.getValue();
                FhirType childType = value.isObject() || value.isArray() && value.path(0).isObject()
                        ? detect(field.getKey(), value.isArray() ? value.path(0) : value, type)
                        : type;
                if (childType == FhirType.EXTENSION || childType == FhirType.PRIMITIVE_EXTENSION) {
                    byPath.putIfAbsent(child.path(), new Proposal(child.path(), Category.EXTENSION,
                            0.7, List.of("FHIR extension: decided by its URL")));
                    continue;
                }
                visit(value, child, childType, resolution, byPath, budget);
            }
        } else if (node.isArray()) {
            node.forEach(item -> visit(item, path, type, resolution, byPath, budget));
        } else if (!byPath.containsKey(path.path())) {
            Decision decision = resolution.forLeaf(path, type);
            byPath.put(path.path(), new Proposal(path.path(), decision.category(),
                    confidence(decision.source()), List.of(evidence(decision.source(), type))));
        }
    }

    private static FhirType detect(String key, JsonNode value, FhirType parent) {
        return parent.sticky() ? parent : FhirType.detect(key, value, parent);
    }

    private static double confidence(Decision.Source source) {
        switch (source) {
            case FHIR_TYPE:
                return 0.95;
            case FHIR_PATH:
                return 0.9;
            case NAME:
                return 0.7;
            default:
                return 0;
        }
    }

    private static String evidence(Decision.Source source, FhirType type) {
        switch (source) {
            case FHIR_TYPE:
                return "FHIR R4 datatype " + type.name().toLowerCase(java.util.Locale.ROOT);
            case FHIR_PATH:
                return "FHIR R4 element default";
            case NAME:
                return "key name";
            default:
                return "neither datatype, path nor name place it: dropped under the presets";
        }
    }

    /**
     * Renders proposals as JSON for review, with the operation each would get under a preset.
     *
     * @param byStream proposals by stream name
     * @param preset the preset whose operations are shown
     * @return pretty-printed JSON without any value
     */
    public static String toJson(Map<String, List<Proposal>> byStream, Preset preset) {
        ObjectNode root = JSON.createObjectNode().put("classifier", KnownNames.get().version())
                .put("preset", preset.name() + " " + preset.version());
        ObjectNode streams = root.putObject("streams");
        Set<String> seen = new HashSet<>();
        byStream.forEach((stream, proposals) -> {
            ObjectNode fields = streams.putObject(stream);
            proposals.stream().filter(p -> seen.add(stream + "/" + p.field())).forEach(p -> {
                ObjectNode node = fields.putObject(p.field());
                node.put("category", p.category().name())
                        .put("safeHarbor", p.category().safeHarborId())
                        .put("confidence", Math.round(p.confidence() * 100) / 100.0)
                        .put("operation", preset.operation(p.category()).toString());
                p.evidence().forEach(node.putArray("evidence")::add);
            });
        });
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Classifier[" + KnownNames.get().version() + "]";
    }
}
