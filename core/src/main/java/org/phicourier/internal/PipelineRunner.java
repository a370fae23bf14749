package org.phicourier.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.phicourier.RunReport;
import org.phicourier.StreamReport;
import org.phicourier.metrics.CommittedObject;
import org.phicourier.metrics.RunListener;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Sink;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamReader;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.Transformer;
import org.phicourier.spi.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out one run of a pipeline; see {@link org.phicourier.Pipeline} for the guarantees. */
public final class PipelineRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final Source source;
    private final List<Transformer> transformers;
    private final Sink sink;
    private final Clock clock;
    private final PumpSettings pumping;
    private final RunListener listener;

    /**
     * Creates a runner.
     *
     * @param source where records come from
     * @param transformers applied in order
     * @param sink where records go
     * @param clock stamps the run
     * @param pumping queue capacity and transform threads
     * @param listener hears what the run does
     */
    public PipelineRunner(Source source, List<Transformer> transformers, Sink sink, Clock clock,
            PumpSettings pumping, RunListener listener) {
        this.source = source;
        this.transformers = transformers;
        this.sink = sink;
        this.clock = clock;
        this.pumping = pumping;
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
        LOG.info("run {} started: {} streams", runId, streams.size());

        List<StreamReport> reports = new ArrayList<>();
        for (BoundStream stream : streams) {
            reports.add(runStream(StreamContext.of(runId, stream.name(), startedAt), stream));
        }
        RunReport report = new RunReport(runId, startedAt, clock.instant(), reports);
        LOG.info("run {} finished: {} records read, {} written in {} ms", runId,
                report.recordsRead(), report.recordsWritten(), report.duration().toMillis());
        return report;
    }

    private StreamReport runStream(StreamContext context, BoundStream stream) {
        Instant started = clock.instant();
        LOG.debug("stream '{}' started", context.stream());
        StreamWriter writer = sink.open(context, stream.outputSchema());
        try (writer; StreamReader reader = source.open(stream.input())) {
            listener.onStreamStarted(context.stream(), reader.expectedRecords());
            TransformLanes lanes = TransformLanes.of(stream, pumping.transformThreads());
            Counts counts = pump(context.stream(), reader, lanes, writer);
            WriteResult result = writer.commit();
            committed(context.stream(), result);
            Duration took = Duration.between(started, clock.instant());
            LOG.debug("stream '{}' committed: {} records in {} objects", context.stream(),
                    result.recordsWritten(), result.objectKeys().size());
            StreamReport report = new StreamReport(context.stream(), counts.read,
                    counts.written, counts.read - counts.written, result.objectKeys(),
                    result.bytesWritten(), took, lanes.counters(reader.counters()));
            listener.onStreamFinished(report);
            return report;
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    private Counts pump(String name, StreamReader reader, TransformLanes lanes,
            StreamWriter writer) {
        Counts counts = new Counts();
        try (BatchPump pump = new BatchPump(name, reader, pumping.queueCapacity(), lanes,
                listener)) {
            Optional<RowBatch> next = pump.take();
            while (next.isPresent()) {
                RowBatch batch = next.get();
                counts.read += pump.readSize();
                counts.written += batch.size();
                writer.write(batch);
                listener.onBatch(name, pump.readSize(), batch.size());
                next = pump.take();
            }
        }
        return counts;
    }

    /** Tells of every object; their sizes are known only when the stream wrote one. */
    private void committed(String stream, WriteResult result) {
        boolean one = result.objectKeys().size() == 1;
        for (String key : result.objectKeys()) {
            listener.onObjectCommitted(new CommittedObject(stream, key,
                    one ? OptionalLong.of(result.recordsWritten()) : OptionalLong.empty(),
                    one ? OptionalLong.of(result.bytesWritten()) : OptionalLong.empty(),
                    Optional.empty()));
        }
    }

    /** Records counted while a stream runs. */
    static final class Counts {
        long read;
        long written;
    }
}
