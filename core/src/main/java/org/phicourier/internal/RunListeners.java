package org.phicourier.internal;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.phicourier.RunReport;
import org.phicourier.StreamReport;
import org.phicourier.metrics.CommittedObject;
import org.phicourier.metrics.RunListener;
import org.phicourier.spi.QuarantineNote;

/**
 * Hands each event to every listener in order. The audit listener comes first, so an event that
 * cannot be audited stops the run before any other listener hears of it.
 */
public final class RunListeners implements RunListener {
    private static final String QUARANTINED = ".records.quarantined";

    private final List<RunListener> listeners;

    private RunListeners(List<RunListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Combines listeners.
     *
     * @param listeners in the order they hear events
     * @return one listener
     */
    public static RunListener of(List<RunListener> listeners) {
        return new RunListeners(listeners);
    }

    private void each(Consumer<RunListener> event) {
        listeners.forEach(event);
    }

    @Override
    public void onRunStarted(String runId) {
        each(l -> l.onRunStarted(runId));
    }

    @Override
    public void onStreamStarted(String stream, OptionalLong expectedRecords) {
        each(l -> l.onStreamStarted(stream, expectedRecords));
    }

    @Override
    public void onBatch(String stream, int read, int written) {
        each(l -> l.onBatch(stream, read, written));
    }

    @Override
    public void onObjectCommitted(CommittedObject object) {
        each(l -> l.onObjectCommitted(object));
    }

    @Override
    public void onBookmarkSaved(String stream, long recordsCovered, long recordsRead) {
        each(l -> l.onBookmarkSaved(stream, recordsCovered, recordsRead));
    }

    @Override
    public void onQuarantined(String stream, String rule, long count) {
        each(l -> l.onQuarantined(stream, rule, count));
    }

    @Override
    public void onRecordQuarantined(String stream, QuarantineNote note) {
        each(l -> l.onRecordQuarantined(stream, note));
    }

    @Override
    public void onRetry(String operation, int attempt) {
        each(l -> l.onRetry(operation, attempt));
    }

    @Override
    public void onThrottled(String operation) {
        each(l -> l.onThrottled(operation));
    }

    /**
     * Tells of the records that transformers quarantined in the stream, from their counters
     * (such as {@code deid.records.quarantined}), before the stream's end; positions stay in the
     * encrypted quarantine.
     */
    @Override
    public void onStreamFinished(StreamReport report) {
        report.counters().forEach((counter, count) -> {
            if (counter.endsWith(QUARANTINED) && count > 0) {
                onQuarantined(report.stream(), counter, count);
            }
        });
        each(l -> l.onStreamFinished(report));
    }

    @Override
    public void onRunFinished(RunReport report) {
        each(l -> l.onRunFinished(report));
    }

    @Override
    public void onRunFailed(String runId, RuntimeException failure) {
        each(l -> l.onRunFailed(runId, failure));
    }

    @Override
    public String toString() {
        return "RunListeners[" + listeners.size() + "]";
    }
}
