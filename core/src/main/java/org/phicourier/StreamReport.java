package org.phicourier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run did with one stream: counts, objects and time. Holds no record value.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param stream the stream name
 * @param recordsRead records delivered by the source
 * @param recordsWritten records stored in completed objects
 * @param recordsDropped records removed by transformers
 * @param objectKeys keys of the objects written, in order
 * @param bytesWritten stored bytes of those objects together
 * @param duration time from opening the stream to committing it
 * @param counters transformer counters by name, such as values masked per operation
 */
public record StreamReport(
        String stream,
        long recordsRead,
        long recordsWritten,
        long recordsDropped,
        List<String> objectKeys,
        long bytesWritten,
        Duration duration,
        Map<String, Long> counters) {

    /**
     * Creates a report, copying the collections.
     *
     * @param stream the stream name
     * @param recordsRead records delivered by the source
     * @param recordsWritten records stored in completed objects
     * @param recordsDropped records removed by transformers
     * @param objectKeys keys of the objects written, in order
     * @param bytesWritten stored bytes of those objects together
     * @param duration time from opening the stream to committing it
     * @param counters transformer counters by name
     */
    public StreamReport {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(duration, "duration");
        objectKeys = List.copyOf(objectKeys);
        counters = Map.copyOf(counters);
    }

    /**
     * Returns the number of objects written.
     *
     * @return the object count
     */
    public int objectsWritten() {
        return objectKeys.size();
    }
}
