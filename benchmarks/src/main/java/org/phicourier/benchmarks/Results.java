package org.phicourier.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The figures of one table size, and the Markdown that reports them. */
final class Results {
    private static final String BEGIN = "<!-- results: begin -->";
    private static final String END = "<!-- results: end -->";
    private static final double MIB = 1024.0 * 1024.0;

    private final long rows;
    private final String heapLimit;
    private final List<Long> pipelineMillis = new ArrayList<>();
    private final List<Long> peakUsed = new ArrayList<>();
    private final List<Long> peakAfterGc = new ArrayList<>();
    private final List<Long> gzip6Millis = new ArrayList<>();
    private final List<Long> gzip1Millis = new ArrayList<>();

    Results(long rows, String heapLimit) {
        this.rows = rows;
        this.heapLimit = heapLimit;
    }

    void pipeline(JsonNode figures) {
        if (figures.get("rows").asLong() != rows) {
            throw new IllegalStateException("the pipeline wrote " + figures.get("rows")
                    + " records, not " + rows);
        }
        pipelineMillis.add(figures.get("millis").asLong());
        peakUsed.add(figures.get("peakUsed").asLong());
        peakAfterGc.add(figures.get("peakAfterGc").asLong());
    }

    void script(int level, long millis) {
        (level == 1 ? gzip1Millis : gzip6Millis).add(millis);
    }

    String last() {
        return "pipeline " + last(pipelineMillis) + " ms, script gzip -6 " + last(gzip6Millis)
                + " ms, gzip -1 " + last(gzip1Millis) + " ms";
    }

    private static long last(List<Long> values) {
        return values.get(values.size() - 1);
    }

    static String header() {
        return "| rows | PHI Courier, masked + encrypted (rows/s) | peak heap used | peak live heap"
                + " after GC | script, gzip -6 (rows/s) | script, gzip -1 (rows/s) | time ratio"
                + " PHI Courier / script gzip -6 | time ratio PHI Courier / script gzip -1 |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    String row() {
        long pipeline = median(pipelineMillis);
        long gzip6 = median(gzip6Millis);
        long gzip1 = median(gzip1Millis);
        return String.format("| %,d | %,.0f | %.0f MiB of %s | %.0f MiB | %,.0f | %,.0f | %.2f |"
                + " %.2f |", rows, perSecond(pipeline), median(peakUsed) / MIB, heapLimit,
                median(peakAfterGc) / MIB, perSecond(gzip6), perSecond(gzip1),
                (double) pipeline / gzip6, (double) pipeline / gzip1);
    }

    private double perSecond(long millis) {
        return rows * 1000.0 / millis;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static void writeInto(Path readme, String machine, String table, int repeats,
            String heapLimit) throws IOException {
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(readme + " lacks the result markers");
        }
        String section = BEGIN + "\n" + machine + "\nMedians of " + repeats + " alternating"
                + " runs; PHI Courier ran in a child JVM with -Xmx" + heapLimit + ".\n\n" + table;
        Files.writeString(readme, text.substring(0, begin) + section + text.substring(end));
    }
}
