package org.phicourier.masking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;

/** The action for each input field of one stream, and the schema that results. */
final class FieldPlan {
    private final FieldAction[] actions;
    private final Schema output;

    private FieldPlan(FieldAction[] actions, Schema output) {
        this.actions = actions;
        this.output = output;
    }

    static FieldPlan of(StreamDescriptor input, Map<String, FieldAction> rules) {
        Schema schema = input.schema();
        FieldAction[] actions = new FieldAction[schema.size()];
        Set<String> usedRules = new HashSet<>();
        List<Field> outputFields = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            Field field = schema.field(i);
            String rule = matchingRule(input.name(), field.name(), rules);
            usedRules.add(rule);
            actions[i] = rules.get(rule);
            outputField(field, actions[i]).ifPresent(outputFields::add);
        }
        rejectUnusedRules(input.name(), rules, usedRules);
        return new FieldPlan(actions, Schema.of(outputFields));
    }

    private static String matchingRule(String stream, String field,
            Map<String, FieldAction> rules) {
        if (rules.containsKey(field)) {
            return field;
        }
        List<String> folded = new ArrayList<>();
        for (String rule : rules.keySet()) {
            if (rule.toLowerCase(Locale.ROOT).equals(field.toLowerCase(Locale.ROOT))) {
                folded.add(rule);
            }
        }
        if (folded.size() == 1) {
            return folded.get(0);
        }
        if (folded.isEmpty()) {
            throw new ConfigurationException("stream '" + stream + "', field '" + field
                    + "' has no masking rule; every field needs one (keep, drop, redact or"
                    + " pseudonymize)");
        }
        throw new ConfigurationException("stream '" + stream + "', field '" + field
                + "' matches several rules that differ only in case: " + folded);
    }

    private static Optional<Field> outputField(Field field, FieldAction action) {
        switch (action) {
            case KEEP:
                return Optional.of(field);
            case DROP:
                return Optional.empty();
            default:
                return Optional.of(Field.builder(field.name(), FieldType.STRING)
                        .nullable(field.nullable()).build());
        }
    }

    private static void rejectUnusedRules(String stream, Map<String, FieldAction> rules,
            Set<String> used) {
        for (String rule : rules.keySet()) {
            if (!used.contains(rule)) {
                throw new ConfigurationException("stream '" + stream + "': the masking rule for '"
                        + rule + "' matches no field of the stream");
            }
        }
    }

    FieldAction action(int inputIndex) {
        return actions[inputIndex];
    }

    int inputSize() {
        return actions.length;
    }

    Schema output() {
        return output;
    }
}
