package org.phicourier.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.phicourier.ConfigurationException;
import org.phicourier.StreamReport;
import org.phicourier.metrics.CommittedObject;
import org.phicourier.metrics.RunListener;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.ObjectSeries;
import org.phicourier.spi.Replication;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.ResumableSink;
import org.phicourier.spi.Source;
import org.phicourier.spi.StoredObject;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamReader;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of a run with state. It decides the generation and the starting bookmark, removes
 * what earlier runs left uncommitted, then reads, transforms and writes; whenever the writer
 * completes an object, the bookmark after the batch that ended it is saved, never earlier. At the
 * end of the read the final bookmark is saved, the generation marked complete, and the
 * generations it supersedes retired. Not thread-safe.
 */
final class ResumableStreamRun {
    private static final Logger LOG = LoggerFactory.getLogger(ResumableStreamRun.class);

    private final StateSession session;
    private final BoundStream stream;
    private final Source source;
    private final ResumableSink sink;
    private final Clock clock;
    private final PumpSettings pumping;
    private final Replication replication;
    private final RunListener listener;
    private final PipelineRunner.Counts counts = new PipelineRunner.Counts();
    /** Objects completed but not yet saved in the state (streams that cannot resume). */
    private final List<StoredObject> unsaved = new ArrayList<>();
    private StreamState state;

    private final boolean driftManaged;

    ResumableStreamRun(StateSession session, BoundStream stream, Source source,
            ResumableSink sink, Clock clock, PumpSettings pumping, boolean driftManaged,
            RunListener listener) {
        this.driftManaged = driftManaged;
        this.session = session;
        this.stream = stream;
        this.source = source;
        this.sink = sink;
        this.clock = clock;
        this.pumping = pumping;
        this.replication = source.replication(stream.input());
        this.listener = listener;
    }

    StreamReport run(String runId, Instant runStartedAt) {
        Instant started = clock.instant();
        state = new GenerationPlan(session, sink, stream.name(), clock)
                .prepare(replication, schemaVersion(), runId);
        int discarded = sink.discardUncommitted(stream.name(), state.generation,
                state.nextSequence, session.epoch());
        LOG.debug("stream '{}': generation {} from object {}, {} uncommitted objects removed",
                stream.name(), state.generation, state.nextSequence, discarded);

        ObjectSeries series = new ObjectSeries(session.epoch(), state.generation,
                state.generationStartedAt, state.nextSequence);
        StreamWriter writer = sink.open(StreamContext.resumable(runId, stream.name(),
                runStartedAt, series), stream.outputSchema());
        try (writer; StreamReader reader = source.open(stream.input(), state.bookmark)) {
            listener.onStreamStarted(stream.name(), reader.expectedRecords());
            TransformLanes lanes = TransformLanes.of(stream, pumping.transformThreads());
            pump(reader, lanes, writer);
            WriteResult result = writer.commit();
            StreamReport report = new StreamReport(stream.name(), counts.read, counts.written,
                    counts.read - counts.written, result.objectKeys(), result.bytesWritten(),
                    Duration.between(started, clock.instant()),
                    lanes.counters(reader.counters()));
            listener.onStreamFinished(report);
            return report;
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    private void pump(StreamReader reader, TransformLanes lanes, StreamWriter writer) {
        try (BatchPump pump = new BatchPump(stream.name(), reader, pumping.queueCapacity(),
                lanes, listener)) {
            Optional<RowBatch> next = pump.take();
            while (next.isPresent()) {
                counts.read += pump.readSize();
                RowBatch batch = next.get();
                counts.written += batch.size();
                writer.write(batch);
                listener.onBatch(stream.name(), pump.readSize(), batch.size());
                Optional<StoredObject> completed = writer.checkpoint(false);
                if (completed.isPresent()) {
                    objectCompleted(completed.get(), pump.bookmark());
                }
                next = pump.take();
            }
            endOfRead(writer.checkpoint(true), pump.bookmark());
        }
    }

    /** Saves the bookmark that the completed object covers, for a stream that can resume. */
    private void objectCompleted(StoredObject object, Optional<Bookmark> after) {
        unsaved.add(object);
        if (!replication.resumable()) {
            return;
        }
        state.bookmark = Optional.of(after.orElseThrow(() -> new ConfigurationException(
                "stream '" + stream.name() + "': the source declares a resumable read but gave"
                        + " no bookmark")));
        commitUnsaved();
        session.save();
        listener.onBookmarkSaved(stream.name(), counts.read, counts.read);
        LOG.debug("stream '{}': object {} committed", stream.name(), object.key());
    }

    private void endOfRead(Optional<StoredObject> last, Optional<Bookmark> end) {
        last.ifPresent(unsaved::add);
        commitUnsaved();
        if (replication.mode() == ReplicationMode.INCREMENTAL) {
            state.bookmark = Optional.of(end.orElseThrow(() -> new ConfigurationException(
                    "stream '" + stream.name() + "': the source declares an incremental read"
                            + " but gave no bookmark at its end")));
        } else {
            state.bookmark = Optional.empty();
        }
        state.complete = true;
        state.passStartSequence = state.nextSequence;
        session.save();
        listener.onBookmarkSaved(stream.name(), counts.read, counts.read);
        new GenerationPlan(session, sink, stream.name(), clock).retireSuperseded(state);
    }

    private void commitUnsaved() {
        for (StoredObject object : unsaved) {
            // The manifest names each object's schema by the version that drives generations.
            state.committed.add(new StoredObject(object.key(), object.sequence(),
                    object.records(), object.bytes(), object.checksum(), state.schemaVersion));
            listener.onObjectCommitted(new CommittedObject(stream.name(), object.key(),
                    OptionalLong.of(object.records()), OptionalLong.of(object.bytes()),
                    Optional.of(state.schemaVersion),
                    Optional.of(object.checksum()).filter(c -> !c.isEmpty())));
            state.nextSequence = object.sequence() + 1;
        }
        unsaved.clear();
    }

    /**
     * Identifies what the objects hold: the read method and the schemas in and out. When drift
     * is managed, schema changes are versioned beside the data instead, and the generation (with
     * the objects already written) continues.
     */
    private String schemaVersion() {
        String described = replication.mode() + "|" + replication.method() + "|"
                + (driftManaged ? "schema versions beside the data"
                : stream.input().schema() + "|" + stream.outputSchema());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(described.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ResumableStreamRun[" + stream.name() + "]";
    }
}
