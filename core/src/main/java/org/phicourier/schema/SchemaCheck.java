package org.phicourier.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.phicourier.ConfigurationException;
import org.phicourier.deid.Quarantine;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.TransformPolicy;
import org.phicourier.spi.Transformer;

/**
 * A transformer that checks every record against declared {@link FieldRule}s and handles each
 * violation by the rule's {@link ViolationPolicy}: stop the run, quarantine the record (encrypted,
 * with rule id, field and row position as the reason, never a value), null the value and note the
 * rule id in the row's metadata field {@value #NULLED_FIELD}, or pass it on.
 *
 * <p>The run report counts violations per rule as {@code schema.violations.<rule id>}, and
 * {@code schema.records.quarantined} and {@code schema.values.nulled}. Rules bind when the
 * pipeline starts: a rule scoped to a stream that lacks its field, or a constraint that cannot
 * apply to the field's type, fails before any record is read.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SchemaCheck implements Transformer {
    /**
     * The field added to the output when a rule may null values: a JSON array of the ids of the
     * rules whose values were nulled in that row, or null when none was.
     */
    public static final String NULLED_FIELD = "_schema_nulled";

    private final List<FieldRule> rules;
    private final ViolationPolicy policy;
    private final Optional<Quarantine> quarantine;

    private SchemaCheck(Builder builder) {
        this.rules = List.copyOf(builder.rules);
        this.policy = builder.policy;
        this.quarantine = Optional.ofNullable(builder.quarantine);
    }

    /**
     * Starts building a check.
     *
     * @return a builder with no rules and the policy {@link ViolationPolicy#STOP}
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public StreamTransform bind(StreamDescriptor input) {
        List<BoundRule> bound = new ArrayList<>();
        for (FieldRule rule : rules) {
            if (rule.stream().isPresent() && !rule.stream().get().equals(input.name())) {
                continue;
            }
            int index = input.schema().indexOf(rule.field());
            if (index < 0) {
                if (rule.stream().isPresent()) {
                    throw new ConfigurationException("stream '" + input.name()
                            + "': a schema rule names field '" + rule.field()
                            + "', which the stream does not have");
                }
                continue;
            }
            ViolationPolicy effective = rule.policy().orElse(policy);
            for (Constraint constraint : rule.constraints()) {
                constraint.bind(input.name(), input.schema().field(index));
                bound.add(new BoundRule(index, rule.field() + "." + constraint.kind(),
                        constraint, effective));
            }
        }
        return new SchemaCheckTransform(input, bound, quarantine);
    }

    /**
     * Names the schema rules: the hash covers each rule's stream, field, policy and constraints.
     *
     * @return the policy
     */
    @Override
    public TransformPolicy policy() {
        StringBuilder canonical = new StringBuilder(policy.toString());
        for (FieldRule rule : rules) {
            canonical.append('|').append(rule.stream().orElse("*")).append('/')
                    .append(rule.field()).append(rule.policy());
            for (Constraint constraint : rule.constraints()) {
                canonical.append(constraint instanceof Constraint.OneOf oneOf
                        ? "OneOf" + new TreeSet<>(oneOf.values()) : constraint.toString());
            }
        }
        return TransformPolicy.hashing("schema-check", canonical.toString());
    }

    @Override
    public String toString() {
        return "SchemaCheck[" + rules.size() + " fields, " + policy + "]";
    }

    /** Builds a {@link SchemaCheck}; mutable and not thread-safe. */
    public static final class Builder {
        private final List<FieldRule> rules = new ArrayList<>();
        private ViolationPolicy policy = ViolationPolicy.STOP;
        private Quarantine quarantine;

        private Builder() {
        }

        /**
         * Adds the rules of one field.
         *
         * @param rule the rules
         * @return this builder
         */
        public Builder rule(FieldRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Adds the rules of several fields.
         *
         * @param more the rules
         * @return this builder
         */
        public Builder rules(Collection<FieldRule> more) {
            more.forEach(this::rule);
            return this;
        }

        /**
         * Sets the policy of rules that do not set their own.
         *
         * @param policy the default policy; {@link ViolationPolicy#STOP} when not set
         * @return this builder
         */
        public Builder onViolation(ViolationPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets where quarantined records go, such as a
         * {@link org.phicourier.deid.SinkQuarantine} over the pipeline's sink.
         *
         * @param quarantine the quarantine; its owner closes it after the run
         * @return this builder
         */
        public Builder quarantine(Quarantine quarantine) {
            this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
            return this;
        }

        /**
         * Builds the check.
         *
         * @return the check
         * @throws ConfigurationException when a rule quarantines but no quarantine is set
         */
        public SchemaCheck build() {
            boolean quarantines = policy == ViolationPolicy.QUARANTINE || rules.stream()
                    .anyMatch(r -> r.policy().equals(Optional.of(ViolationPolicy.QUARANTINE)));
            if (quarantines && quarantine == null) {
                throw new ConfigurationException("a schema rule quarantines records but no"
                        + " quarantine is set");
            }
            return new SchemaCheck(this);
        }
    }
}
