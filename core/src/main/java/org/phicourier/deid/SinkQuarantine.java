package org.phicourier.deid;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.phicourier.SinkException;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Sink;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamWriter;

/**
 * Sends quarantined records to a {@link Sink}, such as the S3 sink, which stores and encrypts
 * them like every other record: stream {@code <stream>.quarantine}, one row per record with its
 * stream, position, field, reason and the record as JSON.
 *
 * <p>The contract: writers open on the first record of each stream; {@link #close()} commits
 * them all (so the objects appear complete or not at all), and {@link #abort()} removes them.
 * The owner calls one of the two after the run, whatever its outcome: records quarantined before
 * a failure are worth keeping. The sink must have been prepared (a pipeline does that for its
 * own sink). Thread-safe.
 */
public final class SinkQuarantine implements Quarantine {
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Sink sink;
    private final Clock clock;
    private final String runId;
    private final Map<String, StreamWriter> writers = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    private SinkQuarantine(Sink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.runId = RUN_TIME.format(clock.instant()) + "-quarantine";
    }

    /**
     * Creates a quarantine over a sink.
     *
     * @param sink where the records go; prepared by the caller or by the run's pipeline
     * @return the quarantine
     */
    public static SinkQuarantine of(Sink sink) {
        return new SinkQuarantine(Objects.requireNonNull(sink, "sink"), Clock.systemUTC());
    }

    @Override
    public synchronized void put(QuarantinedRecord record) {
        String name = record.stream() + ".quarantine";
        StreamWriter writer = writers.computeIfAbsent(name, n -> sink.open(
                StreamContext.of(runId, StreamDescriptor.checkName(n), clock.instant()),
                QuarantineRows.SCHEMA));
        long position = counts.merge(name, 1L, Long::sum);
        writer.write(RowBatch.of(QuarantineRows.SCHEMA, List.of(QuarantineRows.row(record)),
                position));
    }

    /**
     * Returns how many records were quarantined per quarantine stream.
     *
     * @return counts by stream name
     */
    public synchronized Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** Commits every quarantine stream; on the first failure aborts the rest and throws. */
    @Override
    public synchronized void close() {
        SinkException failure = null;
        for (Map.Entry<String, StreamWriter> entry : writers.entrySet()) {
            try (StreamWriter writer = entry.getValue()) {
                if (failure == null) {
                    writer.commit();
                } else {
                    writer.abort();
                }
            } catch (RuntimeException e) {
                failure = new SinkException("quarantine stream '" + entry.getKey()
                        + "' could not be committed", e);
            }
        }
        writers.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Removes everything quarantined so far. */
    public synchronized void abort() {
        writers.values().forEach(writer -> {
            writer.abort();
            writer.close();
        });
        writers.clear();
    }

    @Override
    public String toString() {
        return "SinkQuarantine[" + sink + "]";
    }
}
