package org.phicourier;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.phicourier.internal.PipelineRunner;
import org.phicourier.spi.Sink;
import org.phicourier.spi.Source;
import org.phicourier.spi.Transformer;

/**
 * Moves the records of a {@link Source} through {@link Transformer}s into a {@link Sink}.
 *
 * <pre>{@code
 * RunReport report = Pipeline.from(jdbcSource)
 *         .through(masking)
 *         .to(s3Sink)
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>A run first discovers every stream of the source and binds every transformer to it, then
 * lets the sink check its destination; a missing table, a field without a masking rule or a
 * missing bucket therefore fails the run before a single record is read. Streams then run one after
 * another. Within a stream, reading overlaps with transforming and writing through a small bounded
 * queue, so memory stays flat however large the stream. A stream whose run fails leaves no object
 * behind; streams completed before it keep theirs.
 *
 * <p>A pipeline is immutable and thread-safe, but its source and sink are used by one run at a
 * time. The pipeline does not close the source or the sink: whoever created them does.
 */
public final class Pipeline {
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Source source;
    private final List<Transformer> transformers;
    private final Sink sink;
    private final Clock clock;
    private final int queueCapacity;

    private Pipeline(Builder builder) {
        this.source = builder.source;
        this.transformers = List.copyOf(builder.transformers);
        this.sink = builder.sink;
        this.clock = builder.clock;
        this.queueCapacity = builder.queueCapacity;
    }

    /**
     * Starts building a pipeline that reads from a source.
     *
     * @param source where records come from
     * @return a builder
     */
    public static Builder from(Source source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    /**
     * Runs the pipeline once over every stream of the source.
     *
     * @return what the run did
     * @throws ConfigurationException when a stream, field, rule, bucket or key is wrong; nothing
     *     has been read or written then
     * @throws SourceException when the source fails while reading
     * @throws SchemaViolationException when a record cannot be transformed
     * @throws SinkException when the destination fails
     */
    public RunReport run() {
        String runId = newRunId();
        return new PipelineRunner(source, transformers, sink, clock, queueCapacity).run(runId);
    }

    private String newRunId() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return RUN_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random);
    }

    @Override
    public String toString() {
        return "Pipeline[transformers=" + transformers.size() + "]";
    }

    /** Builds a {@link Pipeline}; mutable and not thread-safe. */
    public static final class Builder {
        private final Source source;
        private final List<Transformer> transformers = new ArrayList<>();
        private Sink sink;
        private Clock clock = Clock.systemUTC();
        private int queueCapacity = 4;

        private Builder(Source source) {
            this.source = source;
        }

        /**
         * Adds a transformer; transformers run in the order they are added.
         *
         * @param transformer a transformer, such as masking
         * @return this builder
         */
        public Builder through(Transformer transformer) {
            transformers.add(Objects.requireNonNull(transformer, "transformer"));
            return this;
        }

        /**
         * Sets where the records go. Required.
         *
         * @param sink the destination
         * @return this builder
         */
        public Builder to(Sink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Sets the clock that stamps runs; the system UTC clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how many batches may wait between reading and writing; 4 by default.
         *
         * @param queueCapacity at least 1
         * @return this builder
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * Builds the pipeline.
         *
         * @return the pipeline
         * @throws ConfigurationException when no sink is set or the queue capacity is below 1
         */
        public Pipeline build() {
            if (sink == null) {
                throw new ConfigurationException("pipeline needs a sink: call to(sink)");
            }
            if (queueCapacity < 1) {
                throw new ConfigurationException("queueCapacity must be at least 1");
            }
            return new Pipeline(this);
        }
    }
}
