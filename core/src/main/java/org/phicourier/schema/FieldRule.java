package org.phicourier.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.phicourier.ConfigurationException;
import org.phicourier.model.FieldType;

/**
 * The declared constraints on one field: required, type, length, numeric range, pattern,
 * enumeration and, for FHIR resources, the resource type. Each constraint is a rule with its own
 * id, {@code <field>.<constraint>} (such as {@code ssn.pattern}), counted on its own in the run
 * report.
 *
 * <p>Instances are immutable and thread-safe; {@link #toString()} shows the field and the
 * constraint names only.
 */
public final class FieldRule {
    private final String field;
    private final Optional<String> stream;
    private final List<Constraint> constraints;
    private final Optional<ViolationPolicy> policy;

    private FieldRule(Builder builder) {
        this.field = builder.field;
        this.stream = Optional.ofNullable(builder.stream);
        this.constraints = List.copyOf(builder.constraints);
        this.policy = Optional.ofNullable(builder.policy);
    }

    /**
     * Starts the rules for a field.
     *
     * @param field the field name as the schema spells it
     * @return a builder without constraints
     */
    public static Builder builder(String field) {
        return new Builder(field);
    }

    /**
     * Returns the field the rules apply to.
     *
     * @return the field name
     */
    public String field() {
        return field;
    }

    /**
     * Returns the stream the rules are scoped to; without one they apply to every stream that
     * has the field.
     *
     * @return the stream name, if scoped
     */
    public Optional<String> stream() {
        return stream;
    }

    /**
     * Returns the ids of the rules, such as {@code ssn.pattern}.
     *
     * @return the rule ids in declaration order
     */
    public List<String> ruleIds() {
        return constraints.stream().map(c -> field + "." + c.kind()).toList();
    }

    /**
     * Returns the policy for violations of these rules, when it differs from the check's.
     *
     * @return the policy, if set
     */
    public Optional<ViolationPolicy> policy() {
        return policy;
    }

    List<Constraint> constraints() {
        return constraints;
    }

    @Override
    public String toString() {
        return "FieldRule" + ruleIds();
    }

    /** Builds a {@link FieldRule}; mutable and not thread-safe. */
    public static final class Builder {
        private final String field;
        private String stream;
        private final List<Constraint> constraints = new ArrayList<>();
        private final Set<String> kinds = new java.util.HashSet<>();
        private ViolationPolicy policy;

        private Builder(String field) {
            this.field = Objects.requireNonNull(field, "field");
        }

        /**
         * Scopes the rules to one stream; discovery then fails when the stream lacks the field.
         *
         * @param stream the stream name
         * @return this builder
         */
        public Builder stream(String stream) {
            this.stream = Objects.requireNonNull(stream, "stream");
            return this;
        }

        /**
         * Requires a value: null is a violation of rule {@code <field>.required}.
         *
         * @return this builder
         */
        public Builder required() {
            return add(new Constraint.Required());
        }

        /**
         * Declares the type values must have. A field of that type passes at once; a
         * {@code STRING} field's text must parse as the type, and a {@code JSON} field's node
         * must be of the matching JSON kind. Any other source type fails when the check binds.
         *
         * @param type the declared type
         * @return this builder
         */
        public Builder type(FieldType type) {
            return add(new Constraint.Type(Objects.requireNonNull(type, "type")));
        }

        /**
         * Limits the length of text (in code points) or binary values (in bytes).
         *
         * @param min the least length, 0 for none
         * @param max the greatest length
         * @return this builder
         * @throws IllegalArgumentException when min is negative or above max
         */
        public Builder length(int min, int max) {
            if (min < 0 || min > max) {
                throw new IllegalArgumentException("length bounds must satisfy 0 <= min <= max");
            }
            return add(new Constraint.Length(min, max));
        }

        /**
         * Limits numbers (or text holding numbers) to a closed range, compared exactly.
         *
         * @param min the least value, or null for none
         * @param max the greatest value, or null for none
         * @return this builder
         * @throws IllegalArgumentException when both are null or min is above max
         */
        public Builder range(BigDecimal min, BigDecimal max) {
            if (min == null && max == null || min != null && max != null
                    && min.compareTo(max) > 0) {
                throw new IllegalArgumentException("a range needs min <= max, one at least");
            }
            return add(new Constraint.Range(Optional.ofNullable(min), Optional.ofNullable(max)));
        }

        /**
         * Requires text to match a regular expression as a whole.
         *
         * @param regex a {@link java.util.regex.Pattern} expression
         * @return this builder
         * @throws ConfigurationException when the expression is not valid
         */
        public Builder pattern(String regex) {
            try {
                return add(new Constraint.Matches(Pattern.compile(regex)));
            } catch (PatternSyntaxException e) {
                throw new ConfigurationException("field '" + field + "': the pattern is not a"
                        + " valid regular expression");
            }
        }

        /**
         * Limits values to an enumeration, compared by their text form.
         *
         * @param values the allowed values
         * @return this builder
         */
        public Builder oneOf(String... values) {
            return add(new Constraint.OneOf(Set.of(values)));
        }

        /**
         * Requires a FHIR resource (a JSON object) to have this {@code resourceType}.
         *
         * @param resourceType such as {@code Patient}
         * @return this builder
         */
        public Builder resourceType(String resourceType) {
            return add(new Constraint.ResourceType(
                    Objects.requireNonNull(resourceType, "resourceType")));
        }

        /**
         * Sets the policy for violations of these rules, overriding the check's.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder onViolation(ViolationPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        private Builder add(Constraint constraint) {
            if (!kinds.add(constraint.kind())) {
                throw new IllegalArgumentException("field '" + field + "': constraint '"
                        + constraint.kind() + "' given twice");
            }
            constraints.add(constraint);
            return this;
        }

        /**
         * Builds the rules.
         *
         * @return the rules
         * @throws IllegalArgumentException when no constraint was given
         */
        public FieldRule build() {
            if (constraints.isEmpty()) {
                throw new IllegalArgumentException("field '" + field + "': no constraint given");
            }
            return new FieldRule(this);
        }
    }
}
