package org.phicourier.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.phicourier.RunReport;
import org.phicourier.metrics.CommittedObject;
import org.phicourier.metrics.RunListener;

/**
 * Publishes what pipeline runs do as Micrometer meters, for dashboards and alerts:
 * <ul>
 *   <li>{@code phicourier.records.read}, {@code phicourier.records.written} and
 *       {@code phicourier.batches}: counters tagged {@code stream};</li>
 *   <li>{@code phicourier.objects.committed} and {@code phicourier.bytes.committed}: counters
 *       tagged {@code stream} (bytes only where the run knows each object's size);</li>
 *   <li>{@code phicourier.records.quarantined}: a counter tagged {@code stream} and
 *       {@code rule};</li>
 *   <li>{@code phicourier.retries} and {@code phicourier.throttled}: counters tagged
 *       {@code operation};</li>
 *   <li>{@code phicourier.bookmark.lag}: a gauge tagged {@code stream}, the records read in the
 *       current run of the stream that no saved bookmark covers yet (what a crash would
 *       re-read);</li>
 *   <li>{@code phicourier.runs}: a counter tagged {@code outcome} ({@code completed} or
 *       {@code failed}).</li>
 * </ul>
 * Tags carry stream names, rule ids and operation names only, never a record value, so the
 * number of time series stays bounded by the streams a pipeline has.
 *
 * <p>Instances are thread-safe; one listener may serve many pipelines on one registry.
 *
 * <pre>{@code
 * Pipeline.from(source).to(sink).listener(MicrometerRunListener.of(registry)).build();
 * }</pre>
 */
public final class MicrometerRunListener implements RunListener {
    private static final String PREFIX = "phicourier.";

    private final MeterRegistry registry;
    private final Map<String, Lag> lags = new ConcurrentHashMap<>();

    /** Records read and covered by a bookmark, per stream. */
    private static final class Lag {
        final AtomicLong read = new AtomicLong();
        final AtomicLong covered = new AtomicLong();

        double value() {
            return Math.max(0, read.get() - covered.get());
        }
    }

    private MicrometerRunListener(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Creates a listener that registers its meters on a registry.
     *
     * @param registry the registry, such as a Prometheus or CloudWatch registry
     * @return the listener
     */
    public static MicrometerRunListener of(MeterRegistry registry) {
        return new MicrometerRunListener(Objects.requireNonNull(registry, "registry"));
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(PREFIX + name).tags(tags).register(registry);
    }

    @Override
    public void onStreamStarted(String stream, OptionalLong expectedRecords) {
        Lag lag = lags.computeIfAbsent(stream, s -> new Lag());
        lag.read.set(0);
        lag.covered.set(0);
        Gauge.builder(PREFIX + "bookmark.lag", lag, Lag::value).tag("stream", stream)
                .baseUnit("records").register(registry);
    }

    @Override
    public void onBatch(String stream, int read, int written) {
        counter("records.read", "stream", stream).increment(read);
        counter("records.written", "stream", stream).increment(written);
        counter("batches", "stream", stream).increment();
        lags.computeIfAbsent(stream, s -> new Lag()).read.addAndGet(read);
    }

    @Override
    public void onObjectCommitted(CommittedObject object) {
        counter("objects.committed", "stream", object.stream()).increment();
        object.bytes().ifPresent(bytes -> counter("bytes.committed", "stream", object.stream())
                .increment(bytes));
    }

    @Override
    public void onBookmarkSaved(String stream, long recordsCovered, long recordsRead) {
        lags.computeIfAbsent(stream, s -> new Lag()).covered.set(recordsCovered);
    }

    @Override
    public void onQuarantined(String stream, String rule, long count) {
        counter("records.quarantined", "stream", stream, "rule", rule).increment(count);
    }

    @Override
    public void onRetry(String operation, int attempt) {
        counter("retries", "operation", operation).increment();
    }

    @Override
    public void onThrottled(String operation) {
        counter("throttled", "operation", operation).increment();
    }

    @Override
    public void onRunFinished(RunReport report) {
        counter("runs", "outcome", "completed").increment();
    }

    @Override
    public void onRunFailed(String runId, RuntimeException failure) {
        counter("runs", "outcome", "failed").increment();
    }

    @Override
    public String toString() {
        return "MicrometerRunListener[" + registry.getClass().getSimpleName() + "]";
    }
}
