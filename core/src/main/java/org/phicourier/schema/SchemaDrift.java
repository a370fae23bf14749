package org.phicourier.schema;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.phicourier.ConfigurationException;
import org.phicourier.deid.Quarantine;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;

/**
 * How a pipeline with state handles schema drift: the schema each stream delivers to the sink is
 * kept with the state, compared with the last run's, and every change follows the policy set for
 * its {@link DriftKind}. Set on a pipeline with
 * {@link org.phicourier.Pipeline.Builder#schemaDrift(SchemaDrift)}.
 *
 * <p>When changes of one stream fall under different policies, the strictest wins: stop, then
 * quarantine, then drop and evolve together. Instances are immutable and thread-safe.
 */
public final class SchemaDrift {
    private static final Set<List<FieldType>> WIDENINGS = Set.of(
            List.of(FieldType.INT32, FieldType.INT64), List.of(FieldType.INT32, FieldType.DECIMAL),
            List.of(FieldType.INT64, FieldType.DECIMAL),
            List.of(FieldType.INT32, FieldType.FLOAT64),
            List.of(FieldType.FLOAT32, FieldType.FLOAT64));

    private final Map<DriftKind, DriftPolicy> policies;
    private final Optional<Quarantine> quarantine;

    private SchemaDrift(Builder builder) {
        this.policies = Map.copyOf(builder.policies);
        this.quarantine = Optional.ofNullable(builder.quarantine);
    }

    /**
     * Starts building drift handling.
     *
     * @return a builder where every kind of change evolves the schema
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Lists the changes from one schema to another, by field name, in the new schema's order
     * followed by removed fields.
     *
     * @param before the last run's schema
     * @param now this run's schema
     * @return the changes; empty when the schemas agree
     */
    public static List<SchemaChange> changes(Schema before, Schema now) {
        List<SchemaChange> changes = new ArrayList<>();
        for (Field field : now.fields()) {
            Optional<Field> old = before.field(field.name());
            if (old.isEmpty()) {
                changes.add(new SchemaChange(DriftKind.FIELD_ADDED, field.name(), "",
                        describe(field)));
                continue;
            }
            typeChange(old.get(), field).ifPresent(changes::add);
            if (old.get().nullable() != field.nullable()) {
                changes.add(new SchemaChange(DriftKind.NULLABILITY_CHANGED, field.name(),
                        describe(old.get()), describe(field)));
            }
        }
        for (Field field : before.fields()) {
            if (now.field(field.name()).isEmpty()) {
                changes.add(new SchemaChange(DriftKind.FIELD_REMOVED, field.name(),
                        describe(field), ""));
            }
        }
        return changes;
    }

    private static Optional<SchemaChange> typeChange(Field old, Field now) {
        boolean sameType = old.type() == now.type();
        int oldDigits = old.precision().orElse(0);
        int newDigits = now.precision().orElse(0);
        boolean decimal = sameType && now.type() == FieldType.DECIMAL;
        if (sameType && (!decimal || oldDigits == newDigits
                && old.scale().orElse(0) == now.scale().orElse(0))) {
            return Optional.empty();
        }
        boolean wider = sameType ? newDigits >= oldDigits
                && now.scale().orElse(0) >= old.scale().orElse(0)
                : now.type() == FieldType.STRING || WIDENINGS.contains(List.of(old.type(),
                now.type()));
        return Optional.of(new SchemaChange(wider ? DriftKind.TYPE_WIDENED
                : DriftKind.TYPE_NARROWED, now.name(), describe(old), describe(now)));
    }

    private static String describe(Field field) {
        String digits = field.type() == FieldType.DECIMAL && field.precision().isPresent()
                ? "(" + field.precision().getAsInt() + "," + field.scale().orElse(0) + ")" : "";
        return field.type() + digits + (field.nullable() ? "" : " not null");
    }

    /**
     * Returns the policy for a kind of change.
     *
     * @param kind the kind
     * @return the policy; {@link DriftPolicy#EVOLVE} unless set otherwise
     */
    public DriftPolicy policy(DriftKind kind) {
        return policies.getOrDefault(kind, DriftPolicy.EVOLVE);
    }

    /**
     * Returns where records go under {@link DriftPolicy#QUARANTINE}.
     *
     * @return the quarantine, if set
     */
    public Optional<Quarantine> quarantine() {
        return quarantine;
    }

    @Override
    public String toString() {
        return "SchemaDrift" + policies;
    }

    /** Builds a {@link SchemaDrift}; mutable and not thread-safe. */
    public static final class Builder {
        private final Map<DriftKind, DriftPolicy> policies = new EnumMap<>(DriftKind.class);
        private Quarantine quarantine;

        private Builder() {
        }

        /**
         * Sets one policy for every kind of change.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder onDrift(DriftPolicy policy) {
            for (DriftKind kind : DriftKind.values()) {
                policies.put(kind, Objects.requireNonNull(policy, "policy"));
            }
            return this;
        }

        /**
         * Sets the policy for one kind of change.
         *
         * @param kind the kind
         * @param policy the policy
         * @return this builder
         */
        public Builder on(DriftKind kind, DriftPolicy policy) {
            policies.put(Objects.requireNonNull(kind, "kind"),
                    Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Sets where records go under {@link DriftPolicy#QUARANTINE}.
         *
         * @param quarantine the quarantine; its owner closes it after the run
         * @return this builder
         */
        public Builder quarantine(Quarantine quarantine) {
            this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
            return this;
        }

        /**
         * Builds the drift handling.
         *
         * @return the drift handling
         * @throws ConfigurationException when a kind quarantines but no quarantine is set
         */
        public SchemaDrift build() {
            if (policies.containsValue(DriftPolicy.QUARANTINE) && quarantine == null) {
                throw new ConfigurationException("a drift policy quarantines records but no"
                        + " quarantine is set");
            }
            return new SchemaDrift(this);
        }
    }
}
