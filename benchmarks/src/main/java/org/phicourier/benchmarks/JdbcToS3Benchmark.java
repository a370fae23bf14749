package org.phicourier.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.phicourier.testing.S3Emulator;

/**
 * Measures the main job against the script it replaces, on the same PostgreSQL table and the
 * same S3 emulator, in one run: PHI Courier (masking, KMS envelope encryption, gzip JSON Lines)
 * in a child JVM with a capped heap, and {@code psql \copy ... | gzip | aws s3 cp -}. Runs
 * alternate, several times per table size; the table of medians and ratios goes into
 * {@code benchmarks/README.md} between its result markers.
 *
 * <p>Usage: {@code java -cp ... JdbcToS3Benchmark [--rows 100000,1000000] [--repeats 3]
 * [--xmx 256m] [--readme benchmarks/README.md]}.
 */
public final class JdbcToS3Benchmark {
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> options;
    private final List<Long> sizes;
    private final int repeats;
    private final String classpath;

    private JdbcToS3Benchmark(Map<String, String> options) throws IOException {
        this.options = options;
        this.sizes = Arrays.stream(options.getOrDefault("--rows", "100000,1000000").split(","))
                .map(Long::parseLong).toList();
        this.repeats = Integer.parseInt(options.getOrDefault("--repeats", "3"));
        this.classpath = Path.of("benchmarks/target/classes").toAbsolutePath() + ":"
                + Files.readString(Path.of("benchmarks/target/classpath.txt")).strip();
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
        new JdbcToS3Benchmark(options).run();
    }

    private void run() throws Exception {
        try (Connection connection = DriverManager.getConnection(JDBC_URL, USER, "")) {
            for (long rows : sizes) {
                System.err.println("preparing " + BenchmarkTable.name(rows));
                BenchmarkTable.ensure(connection, rows);
            }
        }
        List<String> lines = new ArrayList<>();
        try (S3Emulator emulator = S3Emulator.start()) {
            String bucket = emulator.createBucket("bench");
            String kmsKey = emulator.createKmsKey();
            for (long rows : sizes) {
                lines.add(measure(emulator, bucket, kmsKey, rows).row());
            }
        }
        String table = Results.header() + String.join("\n", lines) + "\n";
        System.out.println(Machine.describe() + "\n" + table);
        Results.writeInto(Path.of(options.getOrDefault("--readme", "benchmarks/README.md")),
                Machine.describe(), table, repeats, options.getOrDefault("--xmx", "256m"));
    }

    private Results measure(S3Emulator emulator, String bucket, String kmsKey, long rows)
            throws Exception {
        Results results = new Results(rows, options.getOrDefault("--xmx", "256m"));
        for (int i = 0; i < repeats; i++) {
            results.pipeline(runPipeline(emulator, bucket, kmsKey, rows));
            results.script(6, runScript(emulator, bucket, rows, 6));
            results.script(1, runScript(emulator, bucket, rows, 1));
            System.err.println(rows + " rows, round " + (i + 1) + ": " + results.last());
        }
        return results;
    }

    private JsonNode runPipeline(S3Emulator emulator, String bucket, String kmsKey, long rows)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx" + options.getOrDefault("--xmx", "256m"),
                "-cp", classpath, PipelineChild.class.getName(), JDBC_URL, USER,
                BenchmarkTable.name(rows), bucket, emulator.endpoint().toString(), kmsKey)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (child.waitFor() != 0) {
            throw new IllegalStateException("pipeline run failed: " + out);
        }
        return JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    private static long runScript(S3Emulator emulator, String bucket, long rows, int level)
            throws Exception {
        String script = "set -o pipefail; psql -h 127.0.0.1 -p 5432 -U " + USER + " -d test -c"
                + " '\\copy " + BenchmarkTable.name(rows) + " to stdout' | gzip -" + level
                + " | aws s3 cp - s3://" + bucket + "/script/" + rows + "-" + level
                + ".tsv.gz --endpoint-url " + emulator.endpoint();
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("AWS_ACCESS_KEY_ID", "test");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("the script failed: " + script);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
