package org.phicourier.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sink knows about the run and stream it is writing for.
 *
 * <p>A context with an {@link #objectSeries()} belongs to a run with state: the writer names its
 * objects deterministically from that series, completes objects only at
 * {@link StreamWriter#checkpoint(boolean)}, and hands each completed object over to the pipeline,
 * which records it before the bookmark that it covers. A context without one belongs to a run
 * without state, whose stream output is all or nothing.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class StreamContext {
    private final String runId;
    private final String stream;
    private final Instant runStartedAt;
    private final Optional<ObjectSeries> objectSeries;

    private StreamContext(String runId, String stream, Instant runStartedAt,
            Optional<ObjectSeries> objectSeries) {
        this.runId = runId;
        this.stream = stream;
        this.runStartedAt = runStartedAt;
        this.objectSeries = objectSeries;
    }

    /**
     * Creates a context.
     *
     * @param runId the id of the run, safe to print
     * @param stream the stream name
     * @param runStartedAt when the run started
     * @return the context
     */
    public static StreamContext of(String runId, String stream, Instant runStartedAt) {
        return new StreamContext(Objects.requireNonNull(runId, "runId"),
                StreamDescriptor.checkName(stream), Objects.requireNonNull(runStartedAt, "start"),
                Optional.empty());
    }

    /**
     * Creates the context of a run with state.
     *
     * @param runId the id of the run, safe to print
     * @param stream the stream name
     * @param runStartedAt when the run started
     * @param series the objects the writer continues
     * @return the context
     */
    public static StreamContext resumable(String runId, String stream, Instant runStartedAt,
            ObjectSeries series) {
        return new StreamContext(Objects.requireNonNull(runId, "runId"),
                StreamDescriptor.checkName(stream), Objects.requireNonNull(runStartedAt, "start"),
                Optional.of(Objects.requireNonNull(series, "series")));
    }

    /**
     * Returns the run id.
     *
     * @return the run id
     */
    public String runId() {
        return runId;
    }

    /**
     * Returns the stream name.
     *
     * @return the stream name
     */
    public String stream() {
        return stream;
    }

    /**
     * Returns when the run started.
     *
     * @return the start instant
     */
    public Instant runStartedAt() {
        return runStartedAt;
    }

    /**
     * Returns the object series of a run with state.
     *
     * @return the series, or nothing for a run without state
     */
    public Optional<ObjectSeries> objectSeries() {
        return objectSeries;
    }

    @Override
    public String toString() {
        return "StreamContext[run=" + runId + ", stream=" + stream
                + objectSeries.map(s -> ", generation=" + s.generation()).orElse("") + "]";
    }
}
