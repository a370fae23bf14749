package org.phicourier;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.audit.AuditSink;
import org.phicourier.audit.FileAuditSink;
import org.phicourier.crypto.Keyring;
import org.phicourier.internal.AuditingListener;
import org.phicourier.internal.PipelineRunner;
import org.phicourier.internal.PumpSettings;
import org.phicourier.internal.ResumableRunner;
import org.phicourier.schema.SchemaDrift;
import org.phicourier.internal.RunListeners;
import org.phicourier.metrics.RunListener;
import org.phicourier.spi.ResumableSink;
import org.phicourier.spi.Sink;
import org.phicourier.spi.Source;
import org.phicourier.spi.Transformer;
import org.phicourier.state.StateStore;

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
 * another. Within a stream, reading, transforming and writing run on threads of their own,
 * handing batches on through small bounded queues, so memory stays flat however large the
 * stream; each transformation still sees the batches in order, from one thread.
 *
 * <h2>Without state</h2>
 * A stream whose run fails leaves no object behind; streams completed before it keep theirs. Every
 * run reads every stream whole.
 *
 * <h2>With state ({@link Builder#state})</h2>
 * Runs continue each other, and a rerun after any failure (the process killed, the database
 * connection dropped, the destination failing past its retries) continues from where the failed
 * run stopped:
 * <ul>
 *   <li><b>Claim.</b> A run first reads the state and claims it with a conditional write that
 *       raises its epoch. Of two runs started at once on the same state one claims it and the
 *       other fails with {@link StateConflictException} before reading anything; a run that loses
 *       the state to a newer run later stops at its next save with the same exception.</li>
 *   <li><b>Clean-up.</b> It then publishes the manifest of an earlier run that was killed before
 *       publishing its own, aborts the unfinished uploads that earlier runs left behind, and
 *       removes objects that earlier runs completed but never committed.</li>
 *   <li><b>Bookmarks.</b> The sink completes objects only between batches. When it completes
 *       one, the source's bookmark after the batch that ended it is saved, so a bookmark means
 *       "every record up to here is in a completed object"; it is never saved before its object
 *       is complete. At the end of a stream the last object is completed and the final bookmark
 *       saved even when the stream ended in the middle of an object.</li>
 *   <li><b>Exactly once.</b> Objects are named from the stream, the generation and their number
 *       in it, so a rerun that replays a range writes the same names, and completion is
 *       conditional, so a writer of an older run never replaces an object of a newer one. The
 *       manifest each run publishes lists the objects it committed; the manifests of a
 *       generation together hold every record of it exactly once.</li>
 *   <li><b>Generations.</b> A full refresh writes each run into a new generation and retires the
 *       previous generation only after the new one is complete; a change of a stream's read
 *       method or schema starts a new generation the same way. An incremental stream keeps
 *       writing into its generation.</li>
 *   <li><b>No PHI in the state.</b> The state holds names, numbers, object keys and times; the
 *       record values in bookmarks (cursor values, which may be PHI) are encrypted under the
 *       keyring given with the state.</li>
 * </ul>
 * A state written by a newer version of PHI Courier, or one that is corrupted, stops the run
 * before anything is read or written, and the state is left as it is.
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
    private final PumpSettings pumping;
    private final Optional<StateStore> state;
    private final Optional<Keyring> stateKeyring;
    private final Optional<SchemaDrift> drift;
    private final Optional<AuditSink> audit;
    private final String actor;
    private final List<RunListener> listeners;

    private Pipeline(Builder builder) {
        this.source = builder.source;
        this.transformers = List.copyOf(builder.transformers);
        this.sink = builder.sink;
        this.clock = builder.clock;
        this.pumping = new PumpSettings(builder.queueCapacity, builder.transformThreads);
        this.state = Optional.ofNullable(builder.state);
        this.stateKeyring = Optional.ofNullable(builder.stateKeyring);
        this.drift = Optional.ofNullable(builder.drift);
        this.audit = Optional.ofNullable(builder.audit);
        this.actor = builder.actor;
        this.listeners = List.copyOf(builder.listeners);
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
     * @throws ConfigurationException when a stream, field, rule, bucket or key is wrong, or the
     *     state was written by a newer version; nothing has been read or written then
     * @throws IntegrityException when the state is corrupted; nothing has been read or written
     * @throws StateConflictException when another run of the same pipeline holds the state
     * @throws SourceException when the source fails while reading
     * @throws SchemaViolationException when a record cannot be transformed
     * @throws SinkException when the destination fails, or when the audit sink cannot store
     *     an event (the run stops rather than act without a record)
     */
    public RunReport run() {
        String runId = newRunId();
        RunListener listener = listener();
        listener.onRunStarted(runId);
        RunReport report;
        try {
            report = runWith(runId, listener);
            if (state.isPresent()) {
                ((ResumableSink) sink).publishReport(report);
            }
        } catch (RuntimeException e) {
            try {
                listener.onRunFailed(runId, e);
            } catch (RuntimeException hook) {
                e.addSuppressed(hook);
            }
            throw e;
        }
        listener.onRunFinished(report);
        return report;
    }

    private RunReport runWith(String runId, RunListener listener) {
        if (state.isPresent()) {
            return new ResumableRunner(source, transformers, (ResumableSink) sink, clock,
                    pumping, state.get(), stateKeyring.get(), drift, listener).run(runId);
        }
        return new PipelineRunner(source, transformers, sink, clock, pumping, listener)
                .run(runId);
    }

    /** Builds this run's listeners; the audit listener first, as it must see every act. */
    private RunListener listener() {
        List<RunListener> all = new ArrayList<>();
        audit.ifPresent(a -> all.add(new AuditingListener(a, actor, clock, source.toString(),
                sink.toString(), transformers.stream().map(Transformer::policy).toList())));
        all.addAll(listeners);
        return RunListeners.of(all);
    }

    private String newRunId() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return RUN_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random);
    }

    @Override
    public String toString() {
        return "Pipeline[transformers=" + transformers.size()
                + state.map(s -> ", state=" + s).orElse("") + "]";
    }

    /**
     * Returns how many threads transform one stream's batches when
     * {@link Builder#transformThreads} is not set: this machine's processors less two, at least
     * one.
     *
     * @return the default number of transform threads
     */
    public static int defaultTransformThreads() {
        // The reader and the writer each keep a processor busy at full speed.
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 2);
    }

    /** Builds a {@link Pipeline}; mutable and not thread-safe. */
    public static final class Builder {
        private final Source source;
        private final List<Transformer> transformers = new ArrayList<>();
        private Sink sink;
        private Clock clock = Clock.systemUTC();
        private int queueCapacity = 4;
        private int transformThreads = defaultTransformThreads();
        private StateStore state;
        private Keyring stateKeyring;
        private SchemaDrift drift;
        private AuditSink audit;
        private String actor;
        private final List<RunListener> listeners = new ArrayList<>();

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
         * Sets how many batches may wait between reading and writing, shared between the queue
         * before the transformations and the one after them; 4 by default.
         *
         * @param queueCapacity at least 1
         * @return this builder
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * Sets how many threads may transform one stream's batches at once; by default the
         * machine's processors less two (for the reader and the writer), at least one. Each
         * thread applies its own copy of the transformations, and the sink receives the
         * batches in the order they were read, so the output is the same for any number. A
         * stream whose transformations cannot be copied (see
         * {@link org.phicourier.spi.StreamTransform#copy()}, such as de-identification that
         * scrubs free text, or one with a quarantine) is transformed on one thread whatever this
         * says. More threads hold more batches in memory: one each.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder transformThreads(int threads) {
            this.transformThreads = threads;
            return this;
        }

        /**
         * Keeps state between runs, so that runs continue each other and resume after failures;
         * none by default (every run reads everything, and a failed stream leaves nothing). The
         * sink must then be a {@link ResumableSink}, such as the S3 sink. One state belongs to
         * one pipeline: its source, its streams and its sink's destination.
         *
         * @param store where the state is kept, such as a
         *     {@link org.phicourier.state.FileStateStore}
         * @param keyring encrypts the record values that bookmarks hold; the keyring of the sink
         *     is a good choice
         * @return this builder
         */
        public Builder state(StateStore store, Keyring keyring) {
            this.state = Objects.requireNonNull(store, "store");
            this.stateKeyring = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * Manages schema drift: the schema each stream delivers is kept with the state and
         * compared with the last run's; changes follow the drift policies, and every schema
         * version is written beside the data as stream {@code <stream>.schema}. A schema change
         * then continues the stream's generation instead of starting a new one. Needs
         * {@link #state}.
         *
         * @param handling the drift policies
         * @return this builder
         */
        public Builder schemaDrift(SchemaDrift handling) {
            this.drift = Objects.requireNonNull(handling, "handling");
            return this;
        }

        /**
         * Records every act of each run in an audit trail: run started and finished, each
         * stream read and transformed, each object committed, each bookmark saved, state
         * conflicts and preflight findings, chained by hash. None by default. Requires
         * {@link #actor}. An event that cannot be stored stops the run.
         *
         * @param sink where the events go, such as a {@link FileAuditSink}
         * @return this builder
         */
        public Builder audit(AuditSink sink) {
            this.audit = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Names the service or person the runs act for, as the audit trail records it.
         *
         * @param actor a name or id; not a secret, as it is stored in plain text
         * @return this builder
         */
        public Builder actor(String actor) {
            this.actor = Objects.requireNonNull(actor, "actor");
            return this;
        }

        /**
         * Adds a listener that hears what each run does, such as a metrics binding or a
         * progress reporter; listeners hear events in the order they are added, after the
         * audit trail.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the pipeline.
         *
         * @return the pipeline
         * @throws ConfigurationException when no sink is set, the queue capacity is below 1, or
         *     a state is set for a sink that cannot resume, or an audit trail has no actor
         */
        public Pipeline build() {
            if (sink == null) {
                throw new ConfigurationException("pipeline needs a sink: call to(sink)");
            }
            if (state != null && !(sink instanceof ResumableSink)) {
                throw new ConfigurationException("a pipeline with state needs a sink that can"
                        + " resume (a ResumableSink such as the S3 sink); " + sink
                        + " cannot");
            }
            if (drift != null && state == null) {
                throw new ConfigurationException("schema drift is managed with the pipeline's"
                        + " state; set state(store, keyring) too");
            }
            if (audit != null && (actor == null || actor.isBlank())) {
                throw new ConfigurationException("a pipeline with an audit trail needs an actor:"
                        + " call actor(name) with the service or person it runs for");
            }
            if (queueCapacity < 1) {
                throw new ConfigurationException("queueCapacity must be at least 1");
            }
            if (transformThreads < 1) {
                throw new ConfigurationException("transformThreads must be at least 1");
            }
            return new Pipeline(this);
        }
    }
}
