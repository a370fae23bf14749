package org.phicourier.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of a pipeline: which run holds it (epoch and run id), whether that run has published
 * its manifest, and one {@link StreamState} per stream. Mutable; owned by one
 * {@link StateSession}.
 */
final class StateDocument {
    static final int FORMAT_VERSION = 1;

    long epoch;
    String runId;
    Instant runStartedAt;
    boolean runOpen;
    Instant updatedAt;
    final Map<String, StreamState> streams = new LinkedHashMap<>();

    @Override
    public String toString() {
        return "StateDocument[epoch " + epoch + ", run " + runId + ", " + streams.size()
                + " streams]";
    }
}
