package org.phicourier.jdbc.internal;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.phicourier.jdbc.OutOfRangePolicy;

/**
 * How a source maps types it cannot represent exactly, and the counts of values those choices
 * changed. Thread-safe: the counters are shared by every reader of the source.
 */
public final class TypeOptions {
    private final OutOfRangePolicy outOfRange;
    private final boolean unknownAsText;
    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    /**
     * Creates the options.
     *
     * @param outOfRange what to do with values {@code java.time} cannot hold
     * @param unknownAsText whether a column type without a mapping is read as its text
     */
    public TypeOptions(OutOfRangePolicy outOfRange, boolean unknownAsText) {
        this.outOfRange = Objects.requireNonNull(outOfRange, "outOfRange");
        this.unknownAsText = unknownAsText;
    }

    /**
     * Returns the defaults: fail on out-of-range values and on unknown types.
     *
     * @return the strict options
     */
    public static TypeOptions strict() {
        return new TypeOptions(OutOfRangePolicy.FAIL, false);
    }

    OutOfRangePolicy outOfRange() {
        return outOfRange;
    }

    boolean unknownAsText() {
        return unknownAsText;
    }

    void countOutOfRange(String stream, String field) {
        counts.computeIfAbsent(stream, s -> new ConcurrentHashMap<>())
                .computeIfAbsent("jdbc.outOfRange." + field, f -> new LongAdder()).increment();
    }

    /**
     * Returns the counts so far for one stream, over every run of the source.
     *
     * @param stream the stream name
     * @return counter name to count
     */
    public Map<String, Long> counts(String stream) {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.getOrDefault(stream, Map.of()).forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    /**
     * Returns what was counted for a stream since an earlier snapshot.
     *
     * @param stream the stream name
     * @param since a snapshot from {@link #counts(String)}
     * @return the non-zero differences
     */
    public Map<String, Long> countsSince(String stream, Map<String, Long> since) {
        Map<String, Long> diff = new TreeMap<>();
        counts(stream).forEach((name, n) -> {
            long delta = n - since.getOrDefault(name, 0L);
            if (delta > 0) {
                diff.put(name, delta);
            }
        });
        return diff;
    }
}
