package org.phicourier.s3.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phicourier.spi.ObjectSeries;
import org.phicourier.spi.StreamContext;

/**
 * The keys of a sink's objects. A run without state names its objects
 * {@code <prefix><stream>/<runId>-<n>.jsonl.gz}; a run with state names them
 * {@code <prefix><stream>/g<generation>-<generation start, UTC>/<n>.jsonl.gz}, so a replay of the
 * same range writes the same key. Manifests go to {@code <prefix>_manifests/}.
 */
public final class ObjectNames {
    /** The folder under the prefix that holds run manifests. */
    public static final String MANIFESTS = "_manifests/";
    /** Where run reports go, beside the manifests. */
    public static final String REPORTS = "_reports/";
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern SERIES_OBJECT =
            Pattern.compile("[^/]+/g(\\d{6,})-\\d{8}T\\d{6}Z/(\\d{8,})\\.jsonl\\.gz"
                    + "(\\.instruction)?");
    private static final Pattern RUN_OBJECT =
            Pattern.compile("[^/]+/\\d{8}T\\d{6}Z-[0-9a-f]+-\\d{5,}\\.jsonl\\.gz");

    private final String prefix;

    ObjectNames(String prefix) {
        this.prefix = prefix;
    }

    /** Returns the key of the n-th object a stream writes. */
    String object(StreamContext context, long number) {
        Optional<ObjectSeries> series = context.objectSeries();
        if (series.isEmpty()) {
            return String.format("%s%s/%s-%05d.jsonl.gz", prefix, context.stream(),
                    context.runId(), number);
        }
        return generation(context.stream(), series.get().generation())
                + UTC.format(series.get().generationStartedAt())
                + String.format("/%08d.jsonl.gz", number);
    }

    /** Returns the start of every key of one generation of a stream. */
    String generation(String stream, long generation) {
        return String.format("%s%s/g%06d-", prefix, stream, generation);
    }

    /** Returns the start of every key of a stream. */
    String stream(String stream) {
        return prefix + stream + "/";
    }

    /** Returns the key of a completed run's report. */
    String report(String runId) {
        return prefix + REPORTS + runId + ".json";
    }

    /** Returns the key of a run's manifest; keys sort in the order the runs claimed the state. */
    String manifest(long epoch, String runId) {
        return String.format("%s%s%012d-%s.json", prefix, MANIFESTS, epoch, runId);
    }

    /**
     * Returns the sequence number in a key of a run with state (an object or its instruction
     * file), if it is one.
     */
    Optional<Long> sequence(String key) {
        Matcher matcher = SERIES_OBJECT.matcher(relative(key));
        return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(2)))
                : Optional.empty();
    }

    /** Tells whether a key is one this sink writes data objects under. */
    boolean isObject(String key) {
        String relative = relative(key);
        return key.startsWith(prefix) && !relative.endsWith(".instruction")
                && (SERIES_OBJECT.matcher(relative).matches()
                        || RUN_OBJECT.matcher(relative).matches());
    }

    String prefix() {
        return prefix;
    }

    private String relative(String key) {
        return key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    }

    @Override
    public String toString() {
        return "ObjectNames[" + prefix + "]";
    }
}
