package org.phicourier.internal;

import java.time.Clock;
import java.util.Optional;
import org.phicourier.spi.Replication;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.ResumableSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which generation a stream writes into and from which bookmark it reads:
 *
 * <ul>
 *   <li>a stream the state does not know begins generation 1;</li>
 *   <li>a stream whose mode, read method or schemas changed begins a new generation from the
 *       start; the old one stays until the new one is complete, or is removed at once when it
 *       was never complete itself;</li>
 *   <li>a full refresh whose generation is complete begins the next one; one whose generation
 *       is not complete continues it from its bookmark (or from the start when it cannot
 *       resume);</li>
 *   <li>an incremental stream continues its generation from its bookmark.</li>
 * </ul>
 *
 * <p>Superseded generations are retired only after the state records the new one as complete.
 */
final class GenerationPlan {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationPlan.class);

    private final StateSession session;
    private final ResumableSink sink;
    private final String name;
    private final Clock clock;

    GenerationPlan(StateSession session, ResumableSink sink, String name, Clock clock) {
        this.session = session;
        this.sink = sink;
        this.name = name;
        this.clock = clock;
    }

    StreamState prepare(Replication replication, String schemaVersion, String runId) {
        Optional<StreamState> saved = session.stream(name);
        StreamState state = saved.orElseGet(StreamState::new);
        if (saved.isEmpty()) {
            describe(state, replication, schemaVersion);
            state.beginGeneration(1, clock.instant());
            session.put(name, state);
        } else if (state.complete) {
            retireSuperseded(state);
        }
        boolean changed = saved.isEmpty() || changeRead(state, replication, schemaVersion);
        if (saved.isPresent() && !changed && state.complete
                && replication.mode() == ReplicationMode.FULL_REFRESH) {
            supersede(state);
            changed = true;
        }
        state.runId = runId;
        if (changed) {
            session.save();
        }
        return state;
    }

    private boolean changeRead(StreamState state, Replication replication, String version) {
        if (state.mode == replication.mode() && state.method.equals(replication.method())
                && state.schemaVersion.equals(version)) {
            return false;
        }
        LOG.info("stream '{}': read method or schema changed; starting generation {}", name,
                state.generation + 1);
        describe(state, replication, version);
        if (state.complete) {
            supersede(state);
        } else {
            retire(state, state.generation);
            state.beginGeneration(state.generation + 1, clock.instant());
        }
        return true;
    }

    private static void describe(StreamState state, Replication replication, String version) {
        state.mode = replication.mode();
        state.method = replication.method();
        state.schemaVersion = version;
    }

    private void supersede(StreamState state) {
        state.supersedes.add(state.generation);
        state.beginGeneration(state.generation + 1, clock.instant());
    }

    /** Removes the generations a complete one supersedes, then records that in the state. */
    void retireSuperseded(StreamState state) {
        if (state.supersedes.isEmpty()) {
            return;
        }
        for (long generation : state.supersedes) {
            retire(state, generation);
        }
        state.supersedes.clear();
        session.save();
    }

    private void retire(StreamState state, long generation) {
        int removed = sink.retireGeneration(name, generation);
        state.retired.add(generation);
        LOG.info("stream '{}': generation {} retired ({} objects)", name, generation, removed);
    }

    @Override
    public String toString() {
        return "GenerationPlan[" + name + "]";
    }
}
