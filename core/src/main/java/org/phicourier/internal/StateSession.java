package org.phicourier.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.StateConflictException;
import org.phicourier.crypto.Keyring;
import org.phicourier.state.RunManifest;
import org.phicourier.state.StateStore;
import org.phicourier.state.StoredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of a pipeline as one run holds it: read once, claimed by the run (a conditional
 * write that raises the epoch), then saved conditionally after every change, so a run that lost
 * the state to another run stops at its next save. Not thread-safe.
 */
final class StateSession {
    private static final Logger LOG = LoggerFactory.getLogger(StateSession.class);

    private final StateStore store;
    private final StateCodec codec;
    private final Clock clock;
    private final StateDocument document;
    private Optional<String> version;

    private StateSession(StateStore store, StateCodec codec, Clock clock,
            StateDocument document, Optional<String> version) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.document = document;
        this.version = version;
    }

    /**
     * Reads the state; nothing is written.
     *
     * @throws org.phicourier.ConfigurationException when a newer version wrote the state
     * @throws org.phicourier.IntegrityException when the state is corrupted
     */
    static StateSession open(StateStore store, Keyring keyring, Clock clock) {
        StateCodec codec = new StateCodec(new BookmarkSeal(keyring), store.toString());
        Optional<StoredState> stored = store.read();
        StateDocument document = stored.map(s -> codec.decode(s.document()))
                .orElseGet(StateDocument::new);
        return new StateSession(store, codec, clock, document, stored.map(StoredState::version));
    }

    /** Returns the manifest of an earlier run that ended without publishing its own. */
    Optional<RunManifest> unpublishedManifest() {
        if (!document.runOpen) {
            return Optional.empty();
        }
        return Optional.of(manifest(RunManifest.Outcome.INTERRUPTED));
    }

    /**
     * Takes the state over for a run: raises the epoch and starts a fresh list of commits.
     *
     * @throws StateConflictException when another run changed the state since it was read
     */
    void claim(String runId, Instant startedAt) {
        document.epoch++;
        document.runId = runId;
        document.runStartedAt = startedAt;
        document.runOpen = true;
        document.streams.values().forEach(s -> {
            s.committed.clear();
            s.retired.clear();
        });
        save();
        LOG.debug("run {} holds the state {} at epoch {}", runId, store, document.epoch);
    }

    long epoch() {
        return document.epoch;
    }

    Optional<StreamState> stream(String name) {
        return Optional.ofNullable(document.streams.get(name));
    }

    Optional<StateDocument.StoredSchema> schema(String name) {
        return Optional.ofNullable(document.schemas.get(name));
    }

    void putSchema(String name, StateDocument.StoredSchema schema) {
        document.schemas.put(name, schema);
    }

    void put(String name, StreamState stream) {
        document.streams.put(name, stream);
    }

    /**
     * Writes the state if nobody else wrote it since this run last did.
     *
     * @throws StateConflictException when another run did
     */
    void save() {
        document.updatedAt = clock.instant();
        try {
            version = Optional.of(store.write(codec.encode(document), version));
        } catch (StateConflictException e) {
            throw new StateConflictException("run " + document.runId + " lost the state " + store
                    + " to another run of the same pipeline and stops; what it committed before"
                    + " stays committed", e);
        }
    }

    /** Builds the manifest of the run that holds the state, from what it committed so far. */
    RunManifest manifest(RunManifest.Outcome outcome) {
        List<RunManifest.StreamEntry> entries = new ArrayList<>();
        document.streams.forEach((name, s) -> {
            if (!s.committed.isEmpty() || !s.retired.isEmpty()) {
                entries.add(new RunManifest.StreamEntry(name, s.generation, s.committed,
                        s.retired));
            }
        });
        return RunManifest.of(document.runId, document.epoch, document.runStartedAt,
                clock.instant(), outcome, entries);
    }

    /** Marks the run's manifest as published, so no later run publishes it again. */
    void closeRun() {
        document.runOpen = false;
        save();
    }

    @Override
    public String toString() {
        return "StateSession[" + store + ", " + document + "]";
    }
}
