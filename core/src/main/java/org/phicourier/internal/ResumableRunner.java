package org.phicourier.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.RunReport;
import org.phicourier.StateConflictException;
import org.phicourier.StreamReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.schema.SchemaDrift;
import org.phicourier.metrics.RunListener;
import org.phicourier.spi.ResumableSink;
import org.phicourier.spi.Source;
import org.phicourier.spi.Transformer;
import org.phicourier.state.RunManifest;
import org.phicourier.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one run of a pipeline with state: takes the state over, cleans up after earlier
 * runs, runs every stream with per-object commits and bookmarks, and publishes the run's
 * manifest. See {@link org.phicourier.Pipeline} for the guarantees.
 */
public final class ResumableRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ResumableRunner.class);

    private final Source source;
    private final List<Transformer> transformers;
    private final ResumableSink sink;
    private final Clock clock;
    private final PumpSettings pumping;
    private final StateStore store;
    private final Keyring keyring;
    private final Optional<SchemaDrift> drift;
    private final RunListener listener;

    /**
     * Creates a runner.
     *
     * @param source where records come from
     * @param transformers applied in order
     * @param sink where records go
     * @param clock stamps the run
     * @param pumping queue capacity and transform threads
     * @param store keeps the state between runs
     * @param keyring encrypts the record values in bookmarks
     * @param listener hears what the run does
     */
    public ResumableRunner(Source source, List<Transformer> transformers, ResumableSink sink,
            Clock clock, PumpSettings pumping, StateStore store, Keyring keyring,
            RunListener listener) {
        this(source, transformers, sink, clock, pumping, store, keyring, Optional.empty(),
                listener);
    }

    /**
     * Creates a runner that manages schema drift.
     *
     * @param source where records come from
     * @param transformers applied in order
     * @param sink where records go
     * @param clock stamps the run
     * @param pumping queue capacity and transform threads
     * @param store keeps the state between runs
     * @param keyring encrypts the record values in bookmarks
     * @param drift how schema drift is handled, if it is managed
     * @param listener hears what the run does
     */
    public ResumableRunner(Source source, List<Transformer> transformers, ResumableSink sink,
            Clock clock, PumpSettings pumping, StateStore store, Keyring keyring,
            Optional<SchemaDrift> drift, RunListener listener) {
        this.drift = drift;
        this.source = source;
        this.transformers = transformers;
        this.sink = sink;
        this.clock = clock;
        this.pumping = pumping;
        this.store = store;
        this.keyring = keyring;
        this.listener = listener;
    }

    /**
     * Runs every stream.
     *
     * @param runId the id of this run
     * @return the report
     */
    public RunReport run(String runId) {
        Instant startedAt = clock.instant();
        List<BoundStream> streams = OverlappedStart.discoverWhilePreparing(sink,
                () -> BoundStream.bindAll(source.discover(), transformers));
        StateSession session = StateSession.open(store, keyring, clock);
        session.unpublishedManifest().ifPresent(this::publishRecovered);
        session.claim(runId, startedAt);
        int aborted = sink.abortAbandonedUploads();
        LOG.info("run {} started at epoch {}: {} streams, {} abandoned uploads aborted", runId,
                session.epoch(), streams.size(), aborted);

        List<StreamReport> reports = runAll(session, streams, runId, startedAt);
        finish(session, RunManifest.Outcome.COMPLETED);
        RunReport report = new RunReport(runId, startedAt, clock.instant(), reports);
        LOG.info("run {} finished: {} records read, {} written in {} ms", runId,
                report.recordsRead(), report.recordsWritten(), report.duration().toMillis());
        return report;
    }

    private List<StreamReport> runAll(StateSession session, List<BoundStream> streams,
            String runId, Instant startedAt) {
        List<StreamReport> reports = new ArrayList<>();
        try {
            Optional<DriftGate> gate = drift.map(d -> new DriftGate(d, session, sink, runId,
                    startedAt));
            for (BoundStream stream : streams) {
                BoundStream gated = gate.isPresent() ? gate.get().apply(stream) : stream;
                reports.add(new ResumableStreamRun(session, gated, source, sink, clock,
                        pumping, gate.isPresent(), listener).run(runId, startedAt));
            }
            return reports;
        } catch (StateConflictException e) {
            // Another run holds the state now and will publish what this one committed.
            throw e;
        } catch (RuntimeException e) {
            try {
                finish(session, RunManifest.Outcome.FAILED);
            } catch (RuntimeException publishing) {
                e.addSuppressed(publishing);
            }
            throw e;
        }
    }

    private void publishRecovered(RunManifest manifest) {
        sink.publish(manifest);
        LOG.warn("run {} ended without its manifest; published it with {} objects",
                manifest.runId(), manifest.objects().size());
    }

    private void finish(StateSession session, RunManifest.Outcome outcome) {
        sink.publish(session.manifest(outcome));
        session.closeRun();
    }

    @Override
    public String toString() {
        return "ResumableRunner[" + store + "]";
    }
}
