package org.phicourier.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.phicourier.Pipeline;

/** The Markdown the benchmark writes between the result markers of the README. */
final class Report {
    private static final String BEGIN = "<!-- results: begin -->";
    private static final String END = "<!-- results: end -->";

    private final List<Results> tables;
    private final List<Contender> contenders;
    private final Options options;
    private final String machine;
    private final List<String> notes = new ArrayList<>();
    private String byteLimits = "";

    Report(List<Results> tables, List<Contender> contenders, Options options, String machine) {
        this.tables = tables;
        this.contenders = contenders;
        this.options = options;
        this.machine = machine;
    }

    void note(String note) {
        notes.add(note);
    }

    void byteLimits(int sampleBytes, String table, double aes, double zstd, double gzip) {
        byteLimits = String.format("Per-byte limits on one core, over %.0f MiB of the COPY text"
                + " of `%s` held in memory: AES-256-GCM (JCE) %,.0f MB/s, `zstd -1` %,.0f MB/s,"
                + " `gzip -1` %,.0f MB/s.%n", sampleBytes / 1048576.0, table, aes, zstd, gzip);
    }

    String markdown() {
        StringBuilder text = new StringBuilder(machine).append('\n');
        text.append(String.format("Medians of %d alternating round%s, wall time of each"
                + " process from start to exit. PHI Courier ran in child JVMs with -Xmx%s and %s"
                + " per stream, without state, so each table was read by one query on one"
                + " connection (reads in key ranges on several connections need a run with"
                + " state); Camel and Spring Batch with -Xmx%s.%n", options.repeats(),
                options.repeats() == 1 ? "" : "s", options.xmx(),
                threads(options.transformThreads()), options.peerXmx()));
        notes.forEach(note -> text.append(note).append('\n'));
        return text.append('\n').append(throughput()).append('\n').append(ratios()).append('\n')
                .append(timeSplit()).append('\n').append(byteLimits).toString();
    }

    private static String threads(int configured) {
        int threads = configured > 0 ? configured : Pipeline.defaultTransformThreads();
        return threads + (threads == 1 ? " transform thread" : " transform threads")
                + (configured > 0 ? "" : " (the default: processors less two)");
    }

    private String throughput() {
        StringBuilder table = new StringBuilder("| table | rows | COPY text | ")
                .append(contenders.stream().map(c -> c.label() + " (rows/s)")
                        .collect(Collectors.joining(" | ")))
                .append(" |\n|---|---:|---:|")
                .append("---:|".repeat(contenders.size())).append('\n');
        for (Results results : tables) {
            Target target = results.target();
            table.append(String.format("| %s | %,d | %,.0f MB | ", target.label(), target.rows(),
                    target.copyBytes() / 1e6))
                    .append(contenders.stream().map(results::rowsPerSecond)
                            .collect(Collectors.joining(" | "))).append(" |\n");
        }
        return table.toString();
    }

    private String ratios() {
        StringBuilder table = new StringBuilder("| table | time PHI Courier / script (target"
                + " ≤ 1.0) | PHI Courier / Camel (≤ 0.5) | PHI Courier / Spring Batch (≤ 0.5)"
                + " | masking off / COPY limit (≤ 1.5) | PHI Courier in-JVM rows/s | peak heap"
                + " used | peak live heap after GC | compression |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Results r : tables) {
            Contender phi = Contender.PHI_COURIER;
            table.append(String.join(" | ", "| " + r.target().label(),
                    r.ratio(phi, Contender.SCRIPT), r.ratio(phi, Contender.CAMEL),
                    r.ratio(phi, Contender.SPRING_BATCH),
                    r.ratio(Contender.PHI_COURIER_UNMASKED, Contender.COPY_LIMIT),
                    r.innerRowsPerSecond(phi), r.heap(phi, Run::peakUsed, options.xmx()),
                    r.heap(phi, Run::peakAfterGc, ""), r.compression(phi))).append(" |\n");
        }
        return table.toString();
    }

    /** Where the masked PHI Courier run's wall time goes, from JVM start to exit. */
    private String timeSplit() {
        StringBuilder table = new StringBuilder("Where the time of PHI Courier with Safe Harbor"
                + " goes (ms; medians of each part, so the parts need not add up exactly):\n\n"
                + "| table | process, start to exit | JVM start, AWS clients, pipeline built |"
                + " run() to the first batch in the sink | first batch to the end of run() |"
                + " after run() to exit |\n|---|---:|---:|---:|---:|---:|\n");
        Contender phi = Contender.PHI_COURIER;
        for (Results r : tables) {
            table.append(String.join(" | ", "| " + r.target().label(),
                    millis(r, Run::wallMillis), millis(r, Run::setupMillis),
                    millis(r, Run::firstBatchMillis),
                    millis(r, run -> run.innerMillis() - run.firstBatchMillis()),
                    millis(r, run -> run.wallMillis() - run.setupMillis() - run.innerMillis())))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String millis(Results results, ToLongFunction<Run> figure) {
        return results.median(Contender.PHI_COURIER, figure).map(ms -> String.format("%,d", ms))
                .orElse("–");
    }

    void writeInto(Path readme) throws IOException {
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(readme + " lacks the result markers");
        }
        Files.writeString(readme, text.substring(0, begin) + BEGIN + "\n" + markdown()
                + text.substring(end));
    }
}
