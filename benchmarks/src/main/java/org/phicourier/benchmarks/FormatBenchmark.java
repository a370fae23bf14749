package org.phicourier.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.s3.Compression;
import org.phicourier.s3.ObjectFormat;
import org.phicourier.s3.S3Sink;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.WriteResult;
import org.phicourier.testing.S3Emulator;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Measures the S3 sink's formats and compressions, encrypted, against the S3 emulator, beside
 * the bare {@code gzip | aws s3 cp -} (and {@code zstd | aws s3 cp -}) of the same records as a
 * CSV file, in one run: wall time, CPU time per MiB of plaintext, and stored size. Contenders
 * alternate, several times; the table of medians and ratios goes into
 * {@code benchmarks/README.md} between its format markers. The records are synthetic.
 *
 * <p>Usage: {@code java -cp ... FormatBenchmark [--rows 200000] [--repeats 3]
 * [--readme benchmarks/README.md]}.
 */
public final class FormatBenchmark {
    private static final String BEGIN = "<!-- formats: begin -->";
    private static final String END = "<!-- formats: end -->";
    private static final double MIB = 1024.0 * 1024.0;
    private static final int BATCH = 1000;
    private static final Schema SCHEMA = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("mrn", FieldType.STRING), Field.of("name", FieldType.STRING),
            Field.of("birth_date", FieldType.DATE), Field.of("state", FieldType.STRING),
            Field.of("zip", FieldType.STRING), Field.of("balance", FieldType.DECIMAL),
            Field.of("diagnoses", FieldType.STRING), Field.of("note", FieldType.STRING));
    private static final String[] WORDS = {"patient", "reports", "mild", "pain", "since",
        "visit", "follow", "up", "in", "two", "weeks", "no", "fever", "blood", "pressure",
        "stable", "refill", "medication", "allergy", "none", "known", "denies", "chest"};

    private final int rowCount;
    private final int repeats;
    private final Path readme;
    private final Map<String, List<double[]>> figures = new LinkedHashMap<>();

    private FormatBenchmark(Map<String, String> options) {
        this.rowCount = Integer.parseInt(options.getOrDefault("--rows", "200000"));
        this.repeats = Integer.parseInt(options.getOrDefault("--repeats", "3"));
        this.readme = Path.of(options.getOrDefault("--readme", "benchmarks/README.md"));
    }

    /**
     * Runs the benchmark from the repository root.
     *
     * @param args options, see the class description
     * @throws Exception when a contender fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        new FormatBenchmark(options).run();
    }

    private void run() throws Exception {
        List<Row> rows = rows(rowCount);
        Path csv = Files.createTempFile("format-benchmark", ".csv");
        try (S3Emulator emulator = S3Emulator.start(); S3Client s3 = emulator.s3Client()) {
            long plaintext = writeCsv(rows, csv);
            String bucket = emulator.createBucket("formats");
            byte[] master = new byte[32];
            new SecureRandom().nextBytes(master);
            try (LocalAesKeyring keyring = LocalAesKeyring.of(master)) {
                warmUp(s3, keyring, bucket, rows.subList(0, Math.min(rows.size(), 20_000)));
                for (int round = 1; round <= repeats; round++) {
                    runRound(s3, keyring, bucket, emulator, rows, csv, round);
                }
            }
            report(plaintext);
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private void runRound(S3Client s3, LocalAesKeyring keyring, String bucket,
            S3Emulator emulator, List<Row> rows, Path csv, int round) throws Exception {
        for (ObjectFormat format : List.of(ObjectFormat.JSONL, ObjectFormat.CSV)) {
            for (Compression compression : List.of(Compression.GZIP, Compression.ZSTD)) {
                String name = "PHI Courier " + format.extension() + " + "
                        + compression.label() + " (level " + compression.defaultLevel()
                        + "), encrypted";
                record(name, runSink(s3, keyring, bucket, rows, format, compression, round));
            }
        }
        for (String tool : scripts()) {
            record("script: " + tool + " | aws s3 cp -, CSV, not encrypted",
                    runScript(emulator, bucket, csv, tool, round));
        }
        System.err.println("round " + round + " done");
    }

    /** Runs every sink contender once, unrecorded, so that no round pays for JIT warm-up. */
    private void warmUp(S3Client s3, LocalAesKeyring keyring, String bucket, List<Row> rows) {
        for (ObjectFormat format : List.of(ObjectFormat.JSONL, ObjectFormat.CSV)) {
            for (Compression compression : List.of(Compression.GZIP, Compression.ZSTD)) {
                runSink(s3, keyring, bucket, rows, format, compression, 0);
            }
        }
    }

    private static List<String> scripts() {
        List<String> tools = new ArrayList<>(List.of("gzip -1", "gzip -6"));
        if (Files.isExecutable(Path.of("/usr/bin/zstd"))) {
            tools.add("zstd -3");
        }
        return tools;
    }

    private void record(String name, double[] figure) {
        figures.computeIfAbsent(name, k -> new ArrayList<>()).add(figure);
        System.err.printf("%s: %.0f ms wall, %.0f ms CPU, %,d bytes%n", name, figure[0],
                figure[1], (long) figure[2]);
    }

    /** Returns wall ms, CPU ms of this process, stored bytes. */
    private double[] runSink(S3Client s3, LocalAesKeyring keyring, String bucket, List<Row> rows,
            ObjectFormat format, Compression compression, int round) {
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).prefix("sink-" + round)
                .keyring(keyring).format(format).compression(compression)
                .allowPlainHttp(true).build();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        WriteResult result;
        try (StreamWriter writer = sink.open(StreamContext.of(runId(round), format.extension()
                + "-" + compression.label(), Instant.now()), SCHEMA)) {
            for (int i = 0; i < rows.size(); i += BATCH) {
                writer.write(RowBatch.of(SCHEMA, rows.subList(i, Math.min(rows.size(),
                        i + BATCH)), i + 1L));
            }
            result = writer.commit();
        }
        double wall = (System.nanoTime() - start) / 1e6;
        return new double[] {wall, (processCpuNanos() - cpu) / 1e6, result.bytesWritten()};
    }

    private static String runId(int round) {
        return String.format("20261204T000000Z-%08x", round);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Returns wall ms, CPU ms of the script's processes (user + system), stored bytes. */
    private static double[] runScript(S3Emulator emulator, String bucket, Path csv, String tool,
            int round) throws Exception {
        String key = "script-" + round + "/" + tool.replace(' ', '_') + ".csv";
        String script = "set -o pipefail; TIMEFORMAT='%R %U %S'; time ( " + tool + " -c < "
                + csv + " | aws s3 cp - s3://" + bucket + "/" + key + " --endpoint-url "
                + emulator.endpoint() + " )";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("AWS_ACCESS_KEY_ID", "test");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        Process process = builder.start();
        String timing = new String(process.getErrorStream().readAllBytes(),
                StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("the script failed: " + script + ": " + timing);
        }
        String[] times = timing.lines().reduce((a, b) -> b).orElseThrow().split(" ");
        long stored;
        try (S3Client s3 = emulator.s3Client()) {
            stored = s3.headObject(r -> r.bucket(bucket).key(key)).contentLength();
        }
        return new double[] {Double.parseDouble(times[0]) * 1000,
            (Double.parseDouble(times[1]) + Double.parseDouble(times[2])) * 1000, stored};
    }

    private static List<Row> rows(int count) {
        Random random = new Random(42);
        String[] states = {"NY", "CA", "TX", "FL", "MA", "WA"};
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder note = new StringBuilder();
            for (int w = 0; w < 20 + random.nextInt(10); w++) {
                note.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            rows.add(Row.of(SCHEMA, (long) i, String.format("MRN%08d", random.nextInt(1 << 26)),
                    "Name" + random.nextInt(5000) + " Family" + random.nextInt(20000),
                    LocalDate.of(1930 + random.nextInt(90), 1 + random.nextInt(12),
                            1 + random.nextInt(28)), states[random.nextInt(states.length)],
                    String.format("%05d", random.nextInt(100_000)),
                    java.math.BigDecimal.valueOf(random.nextInt(10_000_000), 2),
                    "E11." + random.nextInt(10) + ";I10;Z79." + random.nextInt(99),
                    note.toString().strip()));
        }
        return rows;
    }

    /** Writes the rows as plain CSV for the scripts; returns its size. */
    private static long writeCsv(List<Row> rows, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(String.join(",", SCHEMA.names()) + "\r\n");
            for (Row row : rows) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < row.size(); i++) {
                    cells.add(String.valueOf(row.get(i)));
                }
                out.write(String.join(",", cells) + "\r\n");
            }
        }
        return Files.size(file);
    }

    private void report(long plaintext) throws IOException {
        double mib = plaintext / MIB;
        double[] baseline = median(figures.get("script: gzip -1 | aws s3 cp -, CSV, not"
                + " encrypted"));
        StringBuilder table = new StringBuilder("| contender | MiB/s of plaintext | CPU ms per"
                + " MiB | stored MiB | time ratio to gzip -1 script | CPU ratio to gzip -1"
                + " script |\n|---|---:|---:|---:|---:|---:|\n");
        figures.forEach((name, runs) -> {
            double[] m = median(runs);
            table.append(String.format("| %s | %.1f | %.1f | %.1f | %.2f | %.2f |%n",
                    name.replace("|", "\\|"),
                    mib / (m[0] / 1000), m[1] / mib, m[2] / MIB, m[0] / baseline[0],
                    m[1] / baseline[1]));
        });
        String section = BEGIN + "\n" + Machine.describe() + "\n" + String.format("%,d rows,"
                + " %.1f MiB as CSV; medians of %d alternating rounds; the machine's load"
                + " average during the run: %.1f.%n%n", rowCount, mib, repeats,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + table;
        System.out.println(section);
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(readme + " lacks the format markers");
        }
        Files.writeString(readme, text.substring(0, begin) + section + text.substring(end));
    }

    private static double[] median(List<double[]> runs) {
        double[] median = new double[3];
        for (int i = 0; i < 3; i++) {
            int index = i;
            List<Double> sorted = runs.stream().map(r -> r[index]).sorted().toList();
            median[i] = sorted.get(sorted.size() / 2);
        }
        return median;
    }
}
