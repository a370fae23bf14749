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
    /** The last recorded schema version of each stream whose drift is managed. */
    final Map<String, StoredSchema> schemas = new LinkedHashMap<>();

    /**
     * A schema version recorded for a stream.
     *
     * @param version the version number, from 1
     * @param schema the schema of the records the sink received
     */
    record StoredSchema(int version, org.phicourier.model.Schema schema) {
    }

    @Override
    public String toString() {
        return "StateDocument[epoch " + epoch + ", run " + runId + ", " + streams.size()
                + " streams]";
    }
}
