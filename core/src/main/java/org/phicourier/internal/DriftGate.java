package org.phicourier.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.phicourier.SchemaViolationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.schema.DriftKind;
import org.phicourier.schema.DriftPolicy;
import org.phicourier.schema.SchemaChange;
import org.phicourier.schema.SchemaDrift;
import org.phicourier.schema.SchemaJson;
import org.phicourier.spi.Sink;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the schema each stream delivers with the version the state recorded, applies the
 * drift policies, and records each new version with the state and beside the data, as one
 * record in stream {@code <stream>.schema}.
 */
final class DriftGate {
    /** The record written beside the data for each schema version. */
    static final Schema VERSION = Schema.of(Field.of("stream", FieldType.STRING),
            Field.of("version", FieldType.INT32), Field.of("runId", FieldType.STRING),
            Field.of("changes", FieldType.JSON), Field.of("schema", FieldType.JSON));
    private static final Logger LOG = LoggerFactory.getLogger(DriftGate.class);
    private static final Set<DriftKind> DROPPABLE = Set.of(DriftKind.FIELD_ADDED,
            DriftKind.TYPE_WIDENED, DriftKind.TYPE_NARROWED);

    private final SchemaDrift drift;
    private final StateSession session;
    private final Sink sink;
    private final String runId;
    private final Instant startedAt;

    DriftGate(SchemaDrift drift, StateSession session, Sink sink, String runId,
            Instant startedAt) {
        this.drift = drift;
        this.session = session;
        this.sink = sink;
        this.runId = runId;
        this.startedAt = startedAt;
    }

    /** Applies the policies to one stream, recording a new schema version when one is due. */
    BoundStream apply(BoundStream stream) {
        Schema now = stream.outputSchema();
        Optional<StateDocument.StoredSchema> last = session.schema(stream.name());
        if (last.isEmpty()) {
            record(stream.name(), 1, now, List.of());
            return stream.with(DriftTransform.marker(now, 1, 0));
        }
        List<SchemaChange> changes = SchemaDrift.changes(last.get().schema(), now);
        if (changes.isEmpty()) {
            return stream.with(DriftTransform.marker(now, last.get().version(), 0));
        }
        LOG.info("stream '{}': schema drifted from version {}: {}", stream.name(),
                last.get().version(), changes);
        return switch (strictest(changes)) {
            case STOP -> throw new SchemaViolationException("stream '" + stream.name()
                    + "': the schema drifted from version " + last.get().version() + ": "
                    + changes + "; the drift policy stops the run");
            case QUARANTINE -> stream.with(DriftTransform.quarantine(stream.name(), now,
                    changes, drift.quarantine().orElseThrow()));
            default -> evolve(stream, last.get(), changes);
        };
    }

    private DriftPolicy strictest(List<SchemaChange> changes) {
        Set<DriftPolicy> used = changes.stream().map(c -> drift.policy(c.kind()))
                .collect(Collectors.toSet());
        return used.contains(DriftPolicy.STOP) ? DriftPolicy.STOP
                : used.contains(DriftPolicy.QUARANTINE) ? DriftPolicy.QUARANTINE
                : DriftPolicy.EVOLVE;
    }

    private BoundStream evolve(BoundStream stream, StateDocument.StoredSchema last,
            List<SchemaChange> changes) {
        Set<String> dropped = changes.stream().filter(c -> DROPPABLE.contains(c.kind())
                && drift.policy(c.kind()) == DriftPolicy.DROP).map(SchemaChange::field)
                .collect(Collectors.toSet());
        Schema now = stream.outputSchema();
        List<Field> kept = new ArrayList<>(now.fields());
        kept.removeIf(f -> dropped.contains(f.name()));
        Schema effective = Schema.of(kept);
        List<SchemaChange> remaining = SchemaDrift.changes(last.schema(), effective);
        int version = last.version();
        if (!remaining.isEmpty()) {
            version++;
            record(stream.name(), version, effective, remaining);
        }
        return stream.with(DriftTransform.project(now, effective, version, changes.size(),
                dropped.size()));
    }

    private void record(String name, int version, Schema schema, List<SchemaChange> changes) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        changes.forEach(c -> list.add(c.toString()));
        String stream = StreamDescriptor.checkName(name + ".schema");
        try (StreamWriter writer = sink.open(StreamContext.of(runId, stream, startedAt),
                VERSION)) {
            writer.write(RowBatch.of(VERSION, List.of(Row.of(VERSION, name, version, runId, list,
                    SchemaJson.toJson(schema))), 1));
            writer.commit();
        }
        session.putSchema(name, new StateDocument.StoredSchema(version, schema));
        session.save();
        LOG.info("stream '{}': schema version {} recorded", name, version);
    }

    @Override
    public String toString() {
        return "DriftGate[" + drift + "]";
    }
}
