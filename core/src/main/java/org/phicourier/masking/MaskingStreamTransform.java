package org.phicourier.masking;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

/** Masking bound to one stream. Not thread-safe. */
final class MaskingStreamTransform implements StreamTransform {
    static final String REDACTED = "[REDACTED]";

    private final StreamDescriptor input;
    private final String stream;
    private final FieldPlan plan;
    private final PseudonymKey key;
    private final Pseudonymizer pseudonymizer;
    private final Map<FieldAction, long[]> counts = new EnumMap<>(FieldAction.class);

    MaskingStreamTransform(StreamDescriptor input, FieldPlan plan, PseudonymKey key) {
        this.input = input;
        this.stream = input.name();
        this.plan = plan;
        this.key = key;
        this.pseudonymizer = key == null ? null : new Pseudonymizer(key);
        for (FieldAction action : FieldAction.values()) {
            counts.put(action, new long[1]);
        }
    }

    @Override
    public Schema outputSchema() {
        return plan.output();
    }

    @Override
    public RowBatch apply(RowBatch batch) {
        List<Row> masked = new ArrayList<>(batch.size());
        for (Row row : batch.rows()) {
            masked.add(mask(row));
        }
        return RowBatch.of(plan.output(), masked, batch.firstPosition());
    }

    private Row mask(Row row) {
        Object[] out = new Object[plan.output().size()];
        int next = 0;
        for (int i = 0; i < plan.inputSize(); i++) {
            FieldAction action = plan.action(i);
            counts.get(action)[0]++;
            if (action != FieldAction.DROP) {
                out[next++] = masked(action, row.get(i));
            }
        }
        return Row.of(plan.output(), out);
    }

    private Object masked(FieldAction action, Object value) {
        if (value == null || action == FieldAction.KEEP) {
            return value;
        }
        return action == FieldAction.REDACT ? REDACTED : pseudonymizer.pseudonym(value);
    }

    /** Masking looks at one value at a time, so copies may mask batches side by side. */
    @Override
    public Optional<StreamTransform> copy() {
        return Optional.of(new MaskingStreamTransform(input, plan, key));
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((action, n) -> result.put(
                "masking." + action.name().toLowerCase(Locale.ROOT), n[0]));
        return result;
    }

    @Override
    public String toString() {
        return "MaskingStreamTransform[stream=" + stream + "]";
    }
}
