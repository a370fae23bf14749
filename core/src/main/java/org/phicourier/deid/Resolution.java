package org.phicourier.deid;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;

/**
 * Decides what happens to each field and JSON leaf of one stream, strongest source first: an
 * explicit rule, the FHIR datatype default, the FHIR path default, the name classifier, and
 * finally the unknown category. Immutable and thread-safe.
 */
final class Resolution {
    private final List<Rule> rules;
    private final Map<String, String> extensionRules;
    private final Map<Category, Operation> operations;

    Resolution(List<Rule> rules, Map<String, String> extensionRules,
            Map<Category, Operation> operations) {
        this.rules = List.copyOf(rules);
        this.extensionRules = Map.copyOf(extensionRules);
        this.operations = Map.copyOf(operations);
    }

    Operation operation(Category category) {
        return operations.get(category);
    }

    Decision forColumn(Field field) {
        String[] path = {field.name().toLowerCase(java.util.Locale.ROOT)};
        Optional<Category> named = KnownNames.get().byName(field.name(),
                Optional.of(field.type()));
        Decision fallback = named.map(c -> decision(c, Decision.Source.NAME))
                .orElseGet(() -> field.type() == FieldType.BINARY
                        ? decision(Category.PHOTO, Decision.Source.NAME)
                        : decision(Category.UNKNOWN, Decision.Source.UNKNOWN));
        return explicit(path, fallback);
    }

    Decision forLeaf(PathNode node, FhirType type) {
        Category typed = type.leafCategory(node.key());
        Decision fallback;
        if (typed != null) {
            fallback = decision(typed, Decision.Source.FHIR_TYPE);
        } else {
            fallback = KnownNames.get().byFhirPath(node.lowerSegments())
                    .map(c -> decision(c, Decision.Source.FHIR_PATH))
                    .or(() -> KnownNames.get().byName(node.key(), Optional.empty())
                            .map(c -> decision(c, Decision.Source.NAME)))
                    .orElseGet(() -> decision(Category.UNKNOWN, Decision.Source.UNKNOWN));
        }
        return explicit(node.lowerSegments(), fallback);
    }

    /** The decision for every value leaf of an extension element, by the extension's URL. */
    Decision forExtension(String url) {
        String spec = extensionRules.get(url);
        if (spec != null) {
            Rule rule = Rule.parse("extension", spec);
            return rule.operation().map(op -> new Decision(op, Category.EXTENSION,
                    Decision.Source.RULE)).orElseGet(() -> decision(rule.category().get(),
                    Decision.Source.RULE));
        }
        return KnownNames.get().extension(url).map(c -> decision(c, Decision.Source.FHIR_TYPE))
                .orElseGet(() -> decision(Category.EXTENSION, Decision.Source.FHIR_TYPE));
    }

    Decision forCategory(Category category, Decision.Source source) {
        return decision(category, source);
    }

    private Decision explicit(String[] path, Decision fallback) {
        for (Rule rule : rules) {
            if (rule.glob().matches(path)) {
                return rule.operation().map(op -> new Decision(op, fallback.category(),
                        Decision.Source.RULE))
                        .orElseGet(() -> decision(rule.category().get(), Decision.Source.RULE));
            }
        }
        return fallback;
    }

    private Decision decision(Category category, Decision.Source source) {
        return new Decision(operations.get(category), category, source);
    }

    @Override
    public String toString() {
        return "Resolution[" + rules.size() + " rules]";
    }
}
