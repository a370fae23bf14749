package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.phicourier.ConfigurationException;

/**
 * A named, versioned mapping from every {@link Category} to the {@link Operation} applied to it:
 * readable data (JSON) that a user can print, override per category here, and override per field
 * in the {@link Deidentifier}.
 *
 * <p>Built in: {@link #safeHarbor()} (HIPAA Safe Harbor, the 18 identifier categories),
 * {@link #limitedDataSet()} and {@link #research()} (keyed pseudonyms and per-patient date
 * shifting). Instances are immutable and thread-safe.
 */
public final class Preset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String version;
    private final String basis;
    private final Map<Category, Operation> operations;

    private Preset(String name, String version, String basis, Map<Category, Operation> ops) {
        this.name = name;
        this.version = version;
        this.basis = basis;
        this.operations = Map.copyOf(ops);
    }

    /**
     * Returns the HIPAA Safe Harbor preset.
     *
     * @return the preset
     */
    public static Preset safeHarbor() {
        return builtIn("safe-harbor");
    }

    /**
     * Returns the Limited Data Set preset; its output is still PHI.
     *
     * @return the preset
     */
    public static Preset limitedDataSet() {
        return builtIn("limited-data-set");
    }

    /**
     * Returns the pseudonymised research preset (for Expert Determination).
     *
     * @return the preset
     */
    public static Preset research() {
        return builtIn("research");
    }

    /**
     * Returns a built-in preset by name.
     *
     * @param name {@code safe-harbor}, {@code limited-data-set} or {@code research}
     * @return the preset
     * @throws ConfigurationException when no preset has that name
     */
    public static Preset named(String name) {
        String key = Objects.requireNonNull(name, "name").strip().toLowerCase(Locale.ROOT);
        if (!key.matches("safe-harbor|limited-data-set|research")) {
            throw new ConfigurationException("unknown preset '" + name
                    + "': use safe-harbor, limited-data-set or research");
        }
        return builtIn(key);
    }

    private static Preset builtIn(String name) {
        String resource = "preset-" + name + ".json";
        try (InputStream in = Preset.class.getResourceAsStream(resource)) {
            return read(JSON.readTree(in), resource);
        } catch (IOException e) {
            throw new IllegalStateException("built-in preset " + resource + " is missing", e);
        }
    }

    /**
     * Loads a preset from a JSON file of the shape {@link #toJson()} writes.
     *
     * @param file the file
     * @return the preset
     * @throws ConfigurationException when the file is unreadable, or a category or operation
     *     is missing or unknown
     */
    public static Preset fromFile(Path file) {
        try {
            return read(JSON.readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new ConfigurationException("cannot read preset " + file);
        }
    }

    private static Preset read(JsonNode root, String where) {
        Map<Category, Operation> ops = new EnumMap<>(Category.class);
        root.path("categories").properties().forEach(entry -> {
            Category category = Category.parse(entry.getKey()).orElseThrow(() ->
                    new ConfigurationException("preset " + where + ": unknown category '"
                            + entry.getKey() + "'"));
            JsonNode op = entry.getValue().isObject() ? entry.getValue().path("operation")
                    : entry.getValue();
            ops.put(category, Operation.parse(op.asText()));
        });
        for (Category category : Category.values()) {
            if (!ops.containsKey(category)) {
                throw new ConfigurationException("preset " + where + " has no operation for"
                        + " category " + category + "; every category needs one");
            }
        }
        return new Preset(root.path("name").asText(where), root.path("version").asText("0"),
                root.path("basis").asText(""), ops);
    }

    /**
     * Returns a copy with one category's operation replaced.
     *
     * @param category the category
     * @param operation its new operation
     * @return the changed preset, named {@code <name>+custom}
     */
    public Preset with(Category category, Operation operation) {
        Map<Category, Operation> ops = new EnumMap<>(operations);
        ops.put(Objects.requireNonNull(category, "category"),
                Objects.requireNonNull(operation, "operation"));
        return new Preset(name.endsWith("+custom") ? name : name + "+custom", version, basis, ops);
    }

    /**
     * Returns the operation for a category.
     *
     * @param category the category
     * @return the operation
     */
    public Operation operation(Category category) {
        return operations.get(category);
    }

    Map<Category, Operation> operationsView() {
        return operations;
    }

    /**
     * Returns the preset name, such as {@code safe-harbor}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the preset version, recorded in every report.
     *
     * @return the version
     */
    public String version() {
        return version;
    }

    /**
     * Renders the preset as JSON for review: name, version, legal basis and each category with
     * its Safe Harbor letter and operation.
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode().put("name", name).put("version", version)
                .put("basis", basis);
        ObjectNode categories = root.putObject("categories");
        for (Category category : Category.values()) {
            categories.putObject(category.name())
                    .put("operation", operations.get(category).toString())
                    .put("safeHarbor", category.safeHarborId());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render preset", e);
        }
    }

    @Override
    public String toString() {
        return "Preset[" + name + " " + version + "]";
    }
}
