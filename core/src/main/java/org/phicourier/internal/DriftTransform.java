package org.phicourier.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.phicourier.deid.Quarantine;
import org.phicourier.deid.QuarantinedRecord;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.schema.SchemaChange;
import org.phicourier.spi.StreamTransform;

/**
 * The last step of a stream whose drift is managed: passes records on (leaving out dropped
 * fields), or withholds them all into the quarantine, and reports the schema version and
 * drift counts.
 */
final class DriftTransform implements StreamTransform {
    private final Schema input;
    private final Schema output;
    private final int[] positions;
    private final Optional<Quarantined> quarantine;
    private final Map<String, Long> counters = new TreeMap<>();

    /** Where withheld records go and why. */
    private record Quarantined(String stream, Quarantine target, String field, String reason) {
    }

    private DriftTransform(Schema input, Schema output, Optional<Quarantined> quarantine) {
        this.input = input;
        this.output = output;
        this.quarantine = quarantine;
        this.positions = output.names().stream().mapToInt(input::indexOf).toArray();
    }

    static DriftTransform marker(Schema schema, int version, int changes) {
        return project(schema, schema, version, changes, 0);
    }

    static DriftTransform project(Schema input, Schema output, int version, int changes,
            int dropped) {
        DriftTransform transform = new DriftTransform(input, output, Optional.empty());
        transform.counters.put("schema.version", (long) version);
        transform.counters.put("schema.drift.changes", (long) changes);
        transform.counters.put("schema.drift.fieldsDropped", (long) dropped);
        return transform;
    }

    static DriftTransform quarantine(String stream, Schema schema, List<SchemaChange> changes,
            Quarantine target) {
        String reason = "schema drift: " + changes;
        DriftTransform transform = new DriftTransform(schema, schema, Optional.of(
                new Quarantined(stream, target, changes.get(0).field(), reason)));
        transform.counters.put("schema.drift.changes", (long) changes.size());
        transform.counters.put("schema.drift.recordsQuarantined", 0L);
        return transform;
    }

    @Override
    public Schema outputSchema() {
        return output;
    }

    @Override
    public RowBatch apply(RowBatch batch) {
        if (quarantine.isPresent()) {
            Quarantined q = quarantine.get();
            for (int i = 0; i < batch.size(); i++) {
                q.target().put(new QuarantinedRecord(q.stream(), batch.firstPosition() + i,
                        q.field(), q.reason(), batch.rows().get(i)));
            }
            counters.merge("schema.drift.recordsQuarantined", (long) batch.size(), Long::sum);
            return RowBatch.of(output, List.of(), batch.firstPosition());
        }
        if (output.equals(input)) {
            return batch;
        }
        List<Row> rows = new ArrayList<>(batch.size());
        for (Row row : batch.rows()) {
            Object[] values = new Object[positions.length];
            for (int i = 0; i < positions.length; i++) {
                values[i] = row.get(positions[i]);
            }
            rows.add(Row.of(output, values));
        }
        return RowBatch.of(output, rows, batch.firstPosition());
    }

    /**
     * Projection looks at one record at a time, so copies may project batches side by side; the
     * copies carry no counters, as the original holds the constant ones. Not with a quarantine,
     * which need not take records from several threads.
     */
    @Override
    public Optional<StreamTransform> copy() {
        return quarantine.isPresent() ? Optional.empty()
                : Optional.of(new DriftTransform(input, output, Optional.empty()));
    }

    @Override
    public Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    @Override
    public String toString() {
        return "DriftTransform[" + output.size() + " fields]";
    }
}
