package org.phicourier.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.phicourier.ConfigurationException;
import org.phicourier.SchemaViolationException;
import org.phicourier.deid.Quarantine;
import org.phicourier.deid.QuarantinedRecord;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.QuarantineNote;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

/** A {@link SchemaCheck} bound to one stream. Not thread-safe. */
final class SchemaCheckTransform implements StreamTransform {
    private final StreamDescriptor descriptor;
    private final String stream;
    private final Schema input;
    private final List<BoundRule> rules;
    private final Optional<Quarantine> quarantine;
    private final Schema output;
    private final boolean nulls;
    private final Map<String, Long> counters = new TreeMap<>();
    private final List<QuarantineNote> notes = new ArrayList<>();

    SchemaCheckTransform(StreamDescriptor descriptor, List<BoundRule> rules,
            Optional<Quarantine> quarantine) {
        this.descriptor = descriptor;
        this.stream = descriptor.name();
        this.input = descriptor.schema();
        this.rules = rules;
        this.quarantine = quarantine;
        this.nulls = rules.stream().anyMatch(r -> r.policy() == ViolationPolicy.NULL);
        this.output = nulls ? withMetadata(input, rules) : input;
    }

    private Schema withMetadata(Schema schema, List<BoundRule> rules) {
        if (schema.indexOf(SchemaCheck.NULLED_FIELD) >= 0) {
            throw new ConfigurationException("stream '" + stream + "' already has a field '"
                    + SchemaCheck.NULLED_FIELD + "'; the NULL policy needs that name");
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            int index = i;
            Field field = schema.field(i);
            boolean nulled = rules.stream().anyMatch(r -> r.index() == index
                    && r.policy() == ViolationPolicy.NULL);
            fields.add(nulled && !field.nullable() ? field.withNullable(true) : field);
        }
        fields.add(Field.of(SchemaCheck.NULLED_FIELD, FieldType.JSON));
        return Schema.of(fields);
    }

    @Override
    public Schema outputSchema() {
        return output;
    }

    @Override
    public RowBatch apply(RowBatch batch) {
        List<Row> kept = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            check(batch.rows().get(i), batch.firstPosition() + i).ifPresent(kept::add);
        }
        return RowBatch.of(output, kept, batch.firstPosition());
    }

    private Optional<Row> check(Row row, long position) {
        Object[] values = new Object[output.size()];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        ArrayNode nulled = JsonNodeFactory.instance.arrayNode();
        for (BoundRule rule : rules) {
            Field field = input.field(rule.index());
            if (!rule.violatedBy(field, values[rule.index()])) {
                continue;
            }
            counters.merge("schema.violations." + rule.id(), 1L, Long::sum);
            switch (rule.policy()) {
                case STOP -> throw violation(rule, field, position);
                case QUARANTINE -> {
                    quarantine(rule, field, position, row);
                    return Optional.empty();
                }
                case NULL -> {
                    values[rule.index()] = null;
                    nulled.add(rule.id());
                    counters.merge("schema.values.nulled", 1L, Long::sum);
                }
                case PASS -> counters.merge("schema.values.passed", 1L, Long::sum);
                default -> throw new IllegalStateException("unknown policy " + rule.policy());
            }
        }
        if (nulls) {
            values[values.length - 1] = nulled.isEmpty() ? null : nulled;
        }
        return Optional.of(Row.of(output, values));
    }

    private SchemaViolationException violation(BoundRule rule, Field field, long position) {
        return new SchemaViolationException("stream '" + stream + "', field '" + field.name()
                + "', row " + position + ": rule '" + rule.id() + "' violated");
    }

    private void quarantine(BoundRule rule, Field field, long position, Row row) {
        quarantine.orElseThrow(() -> violation(rule, field, position)).put(
                new QuarantinedRecord(stream, position, field.name(),
                        "rule '" + rule.id() + "' violated", row));
        notes.add(new QuarantineNote(rule.id(), field.name(), position));
        counters.merge("schema.records.quarantined", 1L, Long::sum);
    }

    @Override
    public List<QuarantineNote> takeQuarantined() {
        List<QuarantineNote> taken = List.copyOf(notes);
        notes.clear();
        return taken;
    }

    /**
     * Rules look at one record at a time, so copies may check batches side by side; not with a
     * quarantine, which need not take records from several threads.
     */
    @Override
    public Optional<StreamTransform> copy() {
        return quarantine.isPresent() ? Optional.empty()
                : Optional.of(new SchemaCheckTransform(descriptor, rules, quarantine));
    }

    @Override
    public Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    @Override
    public String toString() {
        return "SchemaCheckTransform[" + stream + ", " + rules.size() + " rules]";
    }
}
