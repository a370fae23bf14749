package org.phicourier.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.StoredObject;

/**
 * What the state says about one stream: the generation being written, how far it got, and what
 * the run that holds the state committed so far. Mutable; owned by one {@link StateSession}.
 */
final class StreamState {
    ReplicationMode mode;
    String method;
    String schemaVersion;
    String runId;
    long generation;
    Instant generationStartedAt;
    boolean complete;
    long nextSequence = 1;
    long passStartSequence = 1;
    Optional<Bookmark> bookmark = Optional.empty();
    final List<Long> supersedes = new ArrayList<>();
    final List<StoredObject> committed = new ArrayList<>();
    final List<Long> retired = new ArrayList<>();

    /** Starts a new generation that replaces this one once complete. */
    void beginGeneration(long number, Instant startedAt) {
        generation = number;
        generationStartedAt = startedAt;
        complete = false;
        nextSequence = 1;
        passStartSequence = 1;
        bookmark = Optional.empty();
    }

    @Override
    public String toString() {
        return "StreamState[" + mode + ", generation " + generation + ", next "
                + nextSequence + "]";
    }
}
