package org.phicourier.spi;

/** How a stream is brought up to date from one run to the next. */
public enum ReplicationMode {
    /**
     * Every run reads the whole stream into a new generation of objects; the previous generation
     * is removed only after the new one is complete.
     */
    FULL_REFRESH,
    /**
     * Every run reads only what changed since the bookmark of the previous run, into the same
     * generation of objects.
     */
    INCREMENTAL
}
