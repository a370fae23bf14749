package org.phicourier.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/** Describes the machine a benchmark ran on, for the report. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        return "Measured " + LocalDate.now(ZoneOffset.UTC) + " on " + cpu() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + memory()
                + " of memory, Java " + System.getProperty("java.version") + "; load average "
                + String.format("%.1f", ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage()) + " when the run started.";
    }

    private static String cpu() {
        return procLine("/proc/cpuinfo", "model name").orElse("an unknown CPU");
    }

    private static String memory() {
        return procLine("/proc/meminfo", "MemTotal")
                .map(kb -> String.format("%.0f GiB", Long.parseLong(kb.replace("kB", "").strip())
                        / 1048576.0))
                .orElse("unknown amount");
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
