package org.phicourier.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.RunReport;
import org.phicourier.StreamReport;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Sink;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.phicourier.spi.StreamTransform;
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
    private final int queueCapacity;

    /** A stream with its transformations bound and its final schema known. */
    private record BoundStream(StreamDescriptor input, List<StreamTransform> transforms,
            Schema outputSchema) {
    }

    /**
     * Creates a runner.
     *
     * @param source where records come from
     * @param transformers applied in order
     * @param sink where records go
     * @param clock stamps the run
     * @param queueCapacity batches that may wait between reading and writing
     */
    public PipelineRunner(Source source, List<Transformer> transformers, Sink sink, Clock clock,
            int queueCapacity) {
        this.source = source;
        this.transformers = transformers;
        this.sink = sink;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
    }

    /**
     * Runs every stream.
     *
     * @param runId the id of this run
     * @return the report
     */
    public RunReport run(String runId) {
        Instant startedAt = clock.instant();
        List<BoundStream> streams = bindAll(source.discover());
        sink.prepare();
        LOG.info("run {} started: {} streams", runId, streams.size());

        List<StreamReport> reports = new ArrayList<>();
        for (BoundStream stream : streams) {
            reports.add(runStream(StreamContext.of(runId, stream.input.name(), startedAt), stream));
        }
        RunReport report = new RunReport(runId, startedAt, clock.instant(), reports);
        LOG.info("run {} finished: {} records read, {} written in {} ms", runId,
                report.recordsRead(), report.recordsWritten(), report.duration().toMillis());
        return report;
    }

    private List<BoundStream> bindAll(List<StreamDescriptor> discovered) {
        if (discovered.isEmpty()) {
            throw new ConfigurationException("the source delivers no streams");
        }
        List<BoundStream> bound = new ArrayList<>();
        for (StreamDescriptor input : discovered) {
            StreamDescriptor current = input;
            List<StreamTransform> transforms = new ArrayList<>();
            for (Transformer transformer : transformers) {
                StreamTransform transform = transformer.bind(current);
                transforms.add(transform);
                current = current.withSchema(transform.outputSchema());
            }
            bound.add(new BoundStream(input, transforms, current.schema()));
        }
        return bound;
    }

    private StreamReport runStream(StreamContext context, BoundStream stream) {
        Instant started = clock.instant();
        LOG.debug("stream '{}' started", context.stream());
        StreamWriter writer = sink.open(context, stream.outputSchema);
        try (writer; StreamReader reader = source.open(stream.input)) {
            Counts counts = pump(context.stream(), reader, stream.transforms, writer);
            WriteResult result = writer.commit();
            Duration took = Duration.between(started, clock.instant());
            LOG.debug("stream '{}' committed: {} records in {} objects", context.stream(),
                    result.recordsWritten(), result.objectKeys().size());
            return new StreamReport(context.stream(), counts.read, counts.written,
                    counts.read - counts.written, result.objectKeys(), result.bytesWritten(),
                    took, counters(stream.transforms));
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    private Counts pump(String stream, StreamReader reader, List<StreamTransform> transforms,
            StreamWriter writer) {
        Counts counts = new Counts();
        try (BatchPump pump = new BatchPump(stream, reader, queueCapacity)) {
            Optional<RowBatch> next = pump.take();
            while (next.isPresent()) {
                RowBatch batch = next.get();
                counts.read += batch.size();
                for (StreamTransform transform : transforms) {
                    batch = transform.apply(batch);
                }
                counts.written += batch.size();
                writer.write(batch);
                next = pump.take();
            }
        }
        return counts;
    }

    private static Map<String, Long> counters(List<StreamTransform> transforms) {
        Map<String, Long> all = new HashMap<>();
        transforms.forEach(t -> t.counters().forEach((name, n) -> all.merge(name, n, Long::sum)));
        return all;
    }

    /** Records counted while a stream runs. */
    private static final class Counts {
        long read;
        long written;
    }
}
