package org.phicourier.benchmarks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** The runs of every contender on one table, and the cells of the report rows for it. */
final class Results {
    private static final double MIB = 1024.0 * 1024.0;

    private final Target target;
    private final Map<Contender, List<Run>> runs = new EnumMap<>(Contender.class);
    private final Map<Contender, String> failures = new EnumMap<>(Contender.class);

    Results(Target target) {
        this.target = target;
    }

    Target target() {
        return target;
    }

    void add(Contender contender, Run run) {
        runs.computeIfAbsent(contender, c -> new ArrayList<>()).add(run);
    }

    void fail(Contender contender, String reason) {
        failures.put(contender, reason);
    }

    boolean failed(Contender contender) {
        return failures.containsKey(contender);
    }

    /** The median wall time, when the contender ran and never failed. */
    Optional<Long> median(Contender contender) {
        return median(contender, Run::wallMillis);
    }

    Optional<Long> median(Contender contender, ToLongFunction<Run> figure) {
        List<Run> list = runs.get(contender);
        if (list == null || failed(contender)) {
            return Optional.empty();
        }
        List<Long> sorted = list.stream().map(figure::applyAsLong).sorted().toList();
        return Optional.of(sorted.get(sorted.size() / 2));
    }

    String rowsPerSecond(Contender contender) {
        if (failed(contender)) {
            return "failed";
        }
        return median(contender).map(ms -> String.format("%,.0f", target.rows() * 1000.0 / ms))
                .orElse(contender.isPeer() ? "skipped" : "–");
    }

    /** The time ratio of two contenders' medians: below 1 the first is faster. */
    String ratio(Contender first, Contender second) {
        Optional<Long> a = median(first);
        Optional<Long> b = median(second);
        if (a.isEmpty() || b.isEmpty()) {
            return "–";
        }
        return String.format("%.2f", (double) a.get() / b.get());
    }

    String innerRowsPerSecond(Contender contender) {
        return median(contender, Run::innerMillis)
                .map(ms -> String.format("%,.0f", target.rows() * 1000.0 / ms)).orElse("–");
    }

    String heap(Contender contender, ToLongFunction<Run> figure, String limit) {
        return median(contender, figure).map(bytes -> String.format("%.0f MiB%s", bytes / MIB,
                limit.isEmpty() ? "" : " of " + limit)).orElse("–");
    }

    String compression(Contender contender) {
        List<Run> list = runs.get(contender);
        return list == null ? "–" : list.get(0).compression();
    }

    String last() {
        StringBuilder line = new StringBuilder(target.label());
        runs.forEach((contender, list) -> line.append(", ").append(contender.key()).append(' ')
                .append(list.get(list.size() - 1).wallMillis()).append(" ms"));
        failures.forEach((contender, reason) -> line.append(", ").append(contender.key())
                .append(" FAILED"));
        return line.toString();
    }

    Map<Contender, String> failures() {
        return failures;
    }
}
