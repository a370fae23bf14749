package org.phicourier.deid;

import java.util.Optional;

/**
 * An explicit rule: a field name or JSON path glob, with an operation or a category.
 *
 * @param glob the field name or path pattern
 * @param operation the operation, when the rule names one
 * @param category the category, when the rule names one instead
 */
record Rule(Glob glob, Optional<Operation> operation, Optional<Category> category) {
    static Rule parse(String pattern, String spec) {
        Optional<Category> category = spec.strip().equals(spec.strip().toUpperCase())
                ? Category.parse(spec) : Optional.empty();
        return new Rule(Glob.of(pattern), category.isPresent() ? Optional.empty()
                : Optional.of(Operation.parse(spec)), category);
    }

    String spec() {
        return operation.map(Operation::toString).orElseGet(() -> category.get().name());
    }
}
