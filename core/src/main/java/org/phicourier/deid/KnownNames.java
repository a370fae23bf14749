package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.phicourier.model.FieldType;

/**
 * The built-in, versioned knowledge de-identification starts from: categories by field or key
 * name (for the classifier) and by FHIR R4 path and extension URL (the FHIR defaults). Loaded
 * once from resources; immutable and thread-safe.
 */
final class KnownNames {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KnownNames INSTANCE = load();

    /** One name rule. */
    private record NameRule(Pattern pattern, Category category, boolean numericOnly) {
    }

    private final String namesVersion;
    private final List<NameRule> nameRules;
    private final String fhirVersion;
    private final Map<Glob, Category> fhirPaths;
    private final Map<String, Category> fhirExtensions;

    private KnownNames(String namesVersion, List<NameRule> nameRules, String fhirVersion,
            Map<Glob, Category> fhirPaths, Map<String, Category> fhirExtensions) {
        this.namesVersion = namesVersion;
        this.nameRules = List.copyOf(nameRules);
        this.fhirVersion = fhirVersion;
        this.fhirPaths = fhirPaths;
        this.fhirExtensions = Map.copyOf(fhirExtensions);
    }

    static KnownNames get() {
        return INSTANCE;
    }

    private static KnownNames load() {
        JsonNode names = resource("classifier-names.json");
        List<NameRule> rules = new ArrayList<>();
        for (JsonNode rule : names.path("rules")) {
            rules.add(new NameRule(Pattern.compile(rule.get(0).asText()),
                    Category.parse(rule.get(1).asText()).orElseThrow(),
                    rule.size() > 2 && rule.get(2).asText().equals("numeric")));
        }
        JsonNode fhir = resource("fhir-r4-paths.json");
        Map<Glob, Category> paths = new LinkedHashMap<>();
        fhir.path("paths").properties().forEach(e -> paths.put(Glob.of(e.getKey()),
                Category.parse(e.getValue().asText()).orElseThrow()));
        Map<String, Category> extensions = new LinkedHashMap<>();
        fhir.path("extensions").properties().forEach(e -> extensions.put(e.getKey(),
                Category.parse(e.getValue().asText()).orElseThrow()));
        return new KnownNames(names.path("version").asText(), rules,
                fhir.path("version").asText(), paths, extensions);
    }

    private static JsonNode resource(String name) {
        try (InputStream in = KnownNames.class.getResourceAsStream(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("built-in resource " + name + " is missing", e);
        }
    }

    /** Places a field or key by its name and, for some names, its type. */
    Optional<Category> byName(String name, Optional<FieldType> type) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean numeric = type.map(KnownNames::numeric).orElse(false);
        for (NameRule rule : nameRules) {
            if ((!rule.numericOnly || numeric) && rule.pattern.matcher(lower).matches()) {
                return Optional.of(rule.category);
            }
        }
        return Optional.empty();
    }

    static boolean numeric(FieldType type) {
        switch (type) {
            case INT32:
            case INT64:
            case FLOAT32:
            case FLOAT64:
            case DECIMAL:
                return true;
            default:
                return false;
        }
    }

    /** Places a JSON leaf by its FHIR path. */
    Optional<Category> byFhirPath(String[] lowerSegments) {
        for (Map.Entry<Glob, Category> entry : fhirPaths.entrySet()) {
            if (entry.getKey().matches(lowerSegments)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    Optional<Category> extension(String url) {
        return Optional.ofNullable(fhirExtensions.get(url));
    }

    String version() {
        return namesVersion + "+" + fhirVersion;
    }

    @Override
    public String toString() {
        return "KnownNames[" + version() + "]";
    }
}
