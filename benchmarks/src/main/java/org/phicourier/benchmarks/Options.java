package org.phicourier.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The benchmark's command-line options, with the defaults of the full run. */
final class Options {
    static final String USAGE = """
            options (defaults give the full run):
              --rows 100000,1000000,10000000   synthetic table sizes, for the scale curve
              --synthea-patients 1000          Synthea population; 0 skips Synthea
              --synthea-seed 42                Synthea's seed
              --synthea-tables encounters,observations,claims   Synthea tables to time
              --repeats 5                      alternating rounds per table
              --contenders all                 or a list of: script,camel,spring-batch,
                                               phi-courier,phi-courier-unmasked,copy-limit
              --compression zstd               zstd (the sink's default level) or gzip (level 1)
              --xmx 256m                       heap cap of the PHI Courier child JVMs
              --transform-threads machine      PHI Courier's transform threads per stream;
                                               machine keeps the library's default
                                               (processors less two, at least one)
              --peer-xmx 1g                    heap cap of the Camel and Spring Batch JVMs
              --peer-max-rows 5000000          Camel and Spring Batch skip larger tables
                                               (the 10M-row one is for PHI Courier's scale
                                               curve); 0 lets them run on every table
              --readme benchmarks/README.md    where the tables go; none prints them only
              --cache ~/.cache/phi-courier     where the generated Synthea population is kept
            """;
    private static final Set<String> KNOWN = Set.of("--rows", "--synthea-patients",
            "--synthea-seed", "--synthea-tables", "--repeats", "--contenders", "--compression",
            "--xmx", "--transform-threads", "--peer-xmx", "--peer-max-rows", "--readme",
            "--cache");

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!KNOWN.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i]
                        + "\n" + USAGE);
            }
            values.put(args[i], args[i + 1]);
        }
        Options options = new Options(values);
        options.transformThreads();
        return options;
    }

    List<Long> rows() {
        String rows = get("--rows", "100000,1000000,10000000");
        return rows.isBlank() || rows.equals("none") ? List.of()
                : Arrays.stream(rows.split(",")).map(Long::parseLong).toList();
    }

    int syntheaPatients() {
        return Integer.parseInt(get("--synthea-patients", "1000"));
    }

    long syntheaSeed() {
        return Long.parseLong(get("--synthea-seed", "42"));
    }

    List<String> syntheaTables() {
        return List.of(get("--synthea-tables", "encounters,observations,claims").split(","));
    }

    int repeats() {
        return Integer.parseInt(get("--repeats", "5"));
    }

    List<Contender> contenders() {
        String list = get("--contenders", "all");
        return list.equals("all") ? List.of(Contender.values())
                : Arrays.stream(list.split(",")).map(Contender::of).toList();
    }

    String compression() {
        String compression = get("--compression", "zstd");
        if (!compression.equals("zstd") && !compression.equals("gzip")) {
            throw new IllegalArgumentException("--compression is zstd or gzip");
        }
        return compression;
    }

    String xmx() {
        return get("--xmx", "256m");
    }

    /** The PHI Courier children's transform threads; 0 keeps the library's default. */
    int transformThreads() {
        String threads = get("--transform-threads", "machine");
        if (threads.equals("machine")) {
            return 0;
        }
        if (!threads.matches("[1-9][0-9]{0,3}")) {
            throw new IllegalArgumentException("--transform-threads is machine or a whole"
                    + " number of at least 1, not '" + threads + "'");
        }
        return Integer.parseInt(threads);
    }

    String peerXmx() {
        return get("--peer-xmx", "1g");
    }

    long peerMaxRows() {
        long rows = Long.parseLong(get("--peer-max-rows", "5000000"));
        return rows == 0 ? Long.MAX_VALUE : rows;
    }

    /** The README to rewrite; empty when the tables are only printed. */
    Optional<Path> readme() {
        String readme = get("--readme", "benchmarks/README.md");
        return readme.equals("none") ? Optional.empty() : Optional.of(Path.of(readme));
    }

    Path cache() {
        return Path.of(get("--cache", System.getProperty("user.home")
                + "/.cache/phi-courier"));
    }

    private String get(String option, String fallback) {
        return values.getOrDefault(option, fallback);
    }
}
