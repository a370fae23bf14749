package org.phicourier.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Describes the machine a benchmark ran on, for the report. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        return "Measured " + LocalDate.now(ZoneOffset.UTC) + " on " + cpu() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ".";
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("an unknown CPU");
        } catch (IOException e) {
            return "an unknown CPU";
        }
    }
}
