package org.phicourier.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.phicourier.testing.S3Emulator;

/**
 * Measures PHI Courier against the script it replaces and against the Java tools its users
 * would otherwise reach for, on the same PostgreSQL tables and the same S3 emulator, in one run:
 * prepares the data (synthetic tables for the scale curve, a Synthea population), then times
 * every contender in a process of its own, alternating, several rounds per table, measures the
 * per-byte limits, and writes medians and ratios with the machine into
 * {@code benchmarks/README.md} between its result markers.
 *
 * <p>Usage, from the repository root: {@code benchmarks/run [options]}; see {@link Options}.
 */
public final class JdbcToS3Benchmark {
    private final Options options;

    private JdbcToS3Benchmark(Options options) {
        this.options = options;
    }

    /**
     * Runs the benchmark from the repository root.
     *
     * @param args options, see {@link Options#USAGE}
     * @throws Exception when preparing the data fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(Options.USAGE);
            return;
        }
        new JdbcToS3Benchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        String machine = Machine.describe();
        List<Target> targets = prepare();
        List<Results> results = new ArrayList<>();
        Report report = new Report(results, options.contenders(), options, machine);
        try (S3Emulator emulator = S3Emulator.start()) {
            Runner runner = new Runner(options, emulator.endpoint().toString(),
                    emulator.createBucket("bench"), emulator.createKmsKey());
            for (Target target : targets) {
                results.add(measure(runner, target));
            }
        }
        limits(report, targets);
        notes(report, results);
        System.out.println(report.markdown());
        if (options.readme().isPresent()) {
            report.writeInto(options.readme().get());
        }
    }

    private List<Target> prepare() throws Exception {
        List<Target> targets = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(Runner.JDBC_URL, Runner.USER,
                "")) {
            if (options.syntheaPatients() > 0) {
                SyntheaData synthea = new SyntheaData(options.cache(), options.syntheaPatients(),
                        options.syntheaSeed());
                synthea.ensure(connection);
                targets.addAll(synthea.targets(connection, options.syntheaTables()));
            }
            for (long rows : options.rows()) {
                System.err.println("preparing " + BenchmarkTable.name(rows));
                BenchmarkTable.ensure(connection, rows);
                targets.add(BenchmarkTable.target(rows));
            }
        }
        return targets;
    }

    /** Runs every contender once per round, starting each round one place further on. */
    private Results measure(Runner runner, Target target) {
        Results results = new Results(target);
        List<Contender> order = new ArrayList<>(options.contenders());
        if (target.rows() > options.peerMaxRows()) {
            order.removeIf(Contender::isPeer);
        }
        for (int round = 0; round < options.repeats(); round++) {
            for (Contender contender : order) {
                if (!results.failed(contender)) {
                    attempt(runner, target, results, contender);
                }
            }
            System.err.println("round " + (round + 1) + ": " + results.last());
            Collections.rotate(order, 1);
        }
        return results;
    }

    private static void attempt(Runner runner, Target target, Results results,
            Contender contender) {
        try {
            results.add(contender, runner.run(contender, target));
        } catch (Exception e) {
            System.err.println(contender.key() + " failed on " + target.label() + ": "
                    + e.getMessage());
            results.fail(contender, String.valueOf(e.getMessage()));
        }
    }

    private void limits(Report report, List<Target> targets) throws Exception {
        if (targets.isEmpty()) {
            return;
        }
        Target target = targets.get(targets.size() - 1);
        ByteLimits limits = ByteLimits.sample(target);
        int repeats = Math.max(3, options.repeats());
        report.byteLimits(limits.size(), target.table(), limits.aesGcm(repeats),
                limits.tool(repeats, "zstd", "-1", "-c", "-q"),
                limits.tool(repeats, "gzip", "-1", "-c"));
    }

    private void notes(Report report, List<Results> results) {
        boolean peersSkipped = results.stream()
                .anyMatch(r -> r.target().rows() > options.peerMaxRows());
        if (peersSkipped && options.contenders().stream().anyMatch(Contender::isPeer)) {
            report.note(String.format("Camel and Spring Batch ran only on tables of up to %,d"
                    + " rows (--peer-max-rows).", options.peerMaxRows()));
        }
        for (Results r : results) {
            r.failures().forEach((contender, reason) -> report.note("`" + contender.key()
                    + "` failed on " + r.target().label() + ": " + reason.lines().findFirst()
                    .orElse("") + "."));
        }
    }
}
