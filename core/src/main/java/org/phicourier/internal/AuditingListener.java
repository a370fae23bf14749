package org.phicourier.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.phicourier.ConfigurationException;
import org.phicourier.RunReport;
import org.phicourier.StateConflictException;
import org.phicourier.StreamReport;
import org.phicourier.audit.AuditEvent;
import org.phicourier.audit.AuditSink;
import org.phicourier.metrics.CommittedObject;
import org.phicourier.metrics.RunListener;
import org.phicourier.spi.QuarantineNote;
import org.phicourier.spi.TransformPolicy;

/**
 * Turns the acts of a run into chained audit events. Each event is stored before the run goes
 * on; a sink that fails stops the run. Details are counts, names, ids and keys; a failure is
 * recorded by its type only, as a message is not the audit trail's to keep.
 */
public final class AuditingListener implements RunListener {
    private final AuditSink sink;
    private final String actor;
    private final Clock clock;
    private final String source;
    private final String destination;
    private final List<TransformPolicy> transformers;
    private Optional<AuditEvent> last = Optional.empty();
    private String runId = "";
    private boolean streamStarted;

    /**
     * Creates the listener for one run.
     *
     * @param sink where events go
     * @param actor who the run acts for
     * @param clock stamps events
     * @param source describes the source, without credentials or query strings
     * @param destination describes the sink: bucket, prefix, key id
     * @param transformers the policies of the transformers, in order
     */
    public AuditingListener(AuditSink sink, String actor, Clock clock, String source,
            String destination, List<TransformPolicy> transformers) {
        this.sink = sink;
        this.actor = actor;
        this.clock = clock;
        this.source = source;
        this.destination = destination;
        this.transformers = List.copyOf(transformers);
    }

    @Override
    public synchronized void onRunStarted(String id) {
        runId = id;
        last = sink.last();
        write(AuditEvent.Type.RUN_STARTED, Map.of("source", source, "destination", destination,
                "transformers", String.join(",", transformers.stream()
                        .map(TransformPolicy::id).toList())));
    }

    @Override
    public synchronized void onStreamStarted(String stream,
            OptionalLong expectedRecords) {
        streamStarted = true;
    }

    @Override
    public synchronized void onObjectCommitted(CommittedObject object) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("stream", object.stream());
        details.put("destination", destination);
        details.put("key", object.key());
        object.records().ifPresent(n -> details.put("records", n));
        object.bytes().ifPresent(n -> details.put("bytes", n));
        object.schemaVersion().ifPresent(v -> details.put("schemaVersion", v));
        object.checksum().ifPresent(c -> details.put("checksum", c));
        write(AuditEvent.Type.OBJECT_COMMITTED, details);
    }

    @Override
    public synchronized void onBookmarkSaved(String stream, long recordsCovered,
            long recordsRead) {
        write(AuditEvent.Type.BOOKMARK_SAVED, Map.of("stream", stream,
                "recordsCovered", recordsCovered));
    }

    @Override
    public synchronized void onRecordQuarantined(String stream, QuarantineNote note) {
        write(AuditEvent.Type.RECORD_QUARANTINED, Map.of("stream", stream, "rule", note.rule(),
                "field", note.field(), "position", note.position()));
    }

    @Override
    public synchronized void onQuarantined(String stream, String rule, long count) {
        write(AuditEvent.Type.RECORD_QUARANTINED, Map.of("stream", stream, "rule", rule,
                "records", count));
    }

    @Override
    public synchronized void onStreamFinished(StreamReport report) {
        write(AuditEvent.Type.SOURCE_READ, Map.of("stream", report.stream(), "source", source,
                "records", report.recordsRead()));
        for (TransformPolicy transformer : transformers) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("stream", report.stream());
            details.put("transformer", transformer.id());
            details.put("policyHash", transformer.hash());
            details.put("recordsIn", report.recordsRead());
            details.put("recordsOut", report.recordsWritten());
            report.counters().forEach((name, count) -> details.put("counter." + name, count));
            write(AuditEvent.Type.TRANSFORMATION_APPLIED, details);
        }
    }

    @Override
    public synchronized void onRunFinished(RunReport report) {
        write(AuditEvent.Type.RUN_FINISHED, Map.of("outcome", "COMPLETED",
                "recordsRead", report.recordsRead(), "recordsWritten", report.recordsWritten()));
    }

    @Override
    public synchronized void onRunFailed(String id, RuntimeException failure) {
        String type = failure.getClass().getName();
        if (failure instanceof StateConflictException) {
            write(AuditEvent.Type.STATE_CONFLICT, Map.of("failure", type));
        } else if (failure instanceof ConfigurationException && !streamStarted) {
            write(AuditEvent.Type.PREFLIGHT_FINDING, Map.of("failure", type));
        }
        write(AuditEvent.Type.RUN_FINISHED, Map.of("outcome", "FAILED", "failure", type));
    }

    private void write(AuditEvent.Type type, Map<String, Object> details) {
        AuditEvent event = AuditEvent.next(last, type, runId, actor, clock.instant(), details);
        sink.append(event);
        last = Optional.of(event);
    }

    @Override
    public String toString() {
        return "AuditingListener[" + sink + "]";
    }
}
