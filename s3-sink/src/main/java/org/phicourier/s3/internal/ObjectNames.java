package org.phicourier.s3.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phicourier.model.Row;
import org.phicourier.spi.StreamContext;

/**
 * The keys of a sink's objects, from its {@link KeyTemplate}. By default a run without state
 * names its objects {@code <prefix><stream>/<runId>-<n>.jsonl.gz} and a run with state
 * {@code <prefix><stream>/g<generation>-<generation start, UTC>/<n>.jsonl.gz}, so a replay of the
 * same range writes the same key; the suffix follows the format and compression. Manifests go to
 * {@code <prefix>_manifests/}.
 */
public final class ObjectNames {
    /** The folder under the prefix that holds run manifests. */
    public static final String MANIFESTS = "_manifests/";
    /** Where run reports go, beside the manifests. */
    public static final String REPORTS = "_reports/";
    private static final int RUN_DIGITS = 5;
    private static final int SERIES_DIGITS = 8;

    private final String prefix;
    private final KeyTemplate runs;
    private final KeyTemplate series;
    private final Pattern runPattern;
    private final Pattern seriesPattern;

    ObjectNames(String prefix, Optional<KeyTemplate> template) {
        this.prefix = prefix;
        this.runs = template.orElse(KeyTemplate.RUNS);
        this.series = template.orElse(KeyTemplate.SERIES);
        this.runPattern = runs.pattern();
        this.seriesPattern = series.pattern();
    }

    ObjectNames(String prefix) {
        this(prefix, Optional.empty());
    }

    /** Returns the template objects of this context are named by. */
    KeyTemplate template(StreamContext context) {
        return context.objectSeries().isPresent() ? series : runs;
    }

    /** Returns the key of the n-th object a stream writes; {@code first} is its first row. */
    String object(StreamContext context, long number, Row first, String suffix) {
        boolean inSeries = context.objectSeries().isPresent();
        return prefix + template(context).render(context, number,
                inSeries ? SERIES_DIGITS : RUN_DIGITS, first, suffix);
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
        Matcher matcher = seriesPattern.matcher(relative(key));
        return matcher.matches() ? Optional.of(Long.parseLong(matcher.group("sequence")))
                : Optional.empty();
    }

    /** Tells whether a key is one this sink writes data objects under. */
    boolean isObject(String key) {
        String relative = relative(key);
        return key.startsWith(prefix) && !relative.endsWith(".instruction")
                && (seriesPattern.matcher(relative).matches()
                        || runPattern.matcher(relative).matches());
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
