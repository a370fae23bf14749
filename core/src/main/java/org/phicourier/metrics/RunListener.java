package org.phicourier.metrics;

import java.util.OptionalLong;
import org.phicourier.RunReport;
import org.phicourier.StreamReport;
import org.phicourier.spi.QuarantineNote;

/**
 * Hears what a run does, for metrics, progress and the audit trail: hooks for the run, each
 * stream, each batch, each committed object and saved bookmark, and for retries, throttling and
 * quarantined records reported by sources, sinks and transformers. Every argument is a count, a
 * name, an id or an object key, never a record value.
 *
 * <p>Every hook does nothing by default. Hooks are called on the thread that runs the pipeline,
 * except {@link #onRetry} and {@link #onThrottled}, which the component that retried may call from
 * its own threads; implementations must therefore be thread-safe. A hook that throws stops the
 * run with that exception, which is what an audit trail needs (no act without its record), so
 * metrics implementations should not throw.
 */
public interface RunListener {

    /**
     * A run starts, before the source is asked for its streams.
     *
     * @param runId the run's id
     */
    default void onRunStarted(String runId) {
    }

    /**
     * A stream starts.
     *
     * @param stream the stream name
     * @param expectedRecords how many records the source expects to deliver, when it can tell
     */
    default void onStreamStarted(String stream, OptionalLong expectedRecords) {
    }

    /**
     * A batch went through the transformers into the sink.
     *
     * @param stream the stream name
     * @param read records the source delivered in the batch
     * @param written records of the batch that reached the sink
     */
    default void onBatch(String stream, int read, int written) {
    }

    /**
     * An object was completed and is visible at its destination.
     *
     * @param object the object, its stream and what is known of its size
     */
    default void onObjectCommitted(CommittedObject object) {
    }

    /**
     * A bookmark was saved: every record up to it is in a completed object.
     *
     * @param stream the stream name
     * @param recordsCovered records of this run's read of the stream that the bookmark covers
     * @param recordsRead records of this run's read of the stream read so far
     */
    default void onBookmarkSaved(String stream, long recordsCovered, long recordsRead) {
    }

    /**
     * Records were withheld into quarantine.
     *
     * @param stream the stream name
     * @param rule the rule or reason that withheld them
     * @param count how many
     */
    default void onQuarantined(String stream, String rule, long count) {
    }

    /**
     * One record was set aside into a quarantine by a transformer; called as it happens, on the
     * transforming thread.
     *
     * @param stream the stream name
     * @param note the rule, field and position; never a value
     */
    default void onRecordQuarantined(String stream, QuarantineNote note) {
    }

    /**
     * A source or sink retries an operation after a failure it expects to pass.
     *
     * @param operation what is retried, such as {@code s3.uploadPart}
     * @param attempt the attempt about to be made, from 2
     */
    default void onRetry(String operation, int attempt) {
    }

    /**
     * A source or sink was asked to slow down by the other side.
     *
     * @param operation what was throttled
     */
    default void onThrottled(String operation) {
    }

    /**
     * A stream ended and its objects are committed.
     *
     * @param report what the run did with the stream
     */
    default void onStreamFinished(StreamReport report) {
    }

    /**
     * A run completed.
     *
     * @param report what the run did
     */
    default void onRunFinished(RunReport report) {
    }

    /**
     * A run failed; the exception goes on to the caller after this hook.
     *
     * @param runId the run's id
     * @param failure why; its message names streams, fields and positions, never values
     */
    default void onRunFailed(String runId, RuntimeException failure) {
    }
}
