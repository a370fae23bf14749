package org.phicourier.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a sink knows about the run and stream it is writing for.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class StreamContext {
    private final String runId;
    private final String stream;
    private final Instant runStartedAt;

    private StreamContext(String runId, String stream, Instant runStartedAt) {
        this.runId = runId;
        this.stream = stream;
        this.runStartedAt = runStartedAt;
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
                StreamDescriptor.checkName(stream), Objects.requireNonNull(runStartedAt, "start"));
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

    @Override
    public String toString() {
        return "StreamContext[run=" + runId + ", stream=" + stream + "]";
    }
}
