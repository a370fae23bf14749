package org.phicourier.schema;

/** What a pipeline does when a stream's schema drifted from the last run's. */
public enum DriftPolicy {
    /**
     * Accepts the new schema: records a new schema version with the state and writes it beside
     * the data ({@code <prefix>/<stream>.schema/}), then runs as usual.
     */
    EVOLVE,
    /** Stops before reading the stream, naming the changes; nothing is written. */
    STOP,
    /**
     * Leaves out the fields that are new or whose type changed, so the records keep the last
     * run's shape; removed fields and nullability changes evolve.
     */
    DROP,
    /**
     * Withholds every record of the stream in this run: each goes, encrypted, to the
     * quarantine with the drift as its reason. The recorded schema stays the last one, so the
     * next run drifts again until the change is accepted.
     */
    QUARANTINE
}
