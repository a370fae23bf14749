package org.phicourier.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.phicourier.Pipeline;
import org.phicourier.deid.Quarantine;
import org.phicourier.jdbc.OutOfRangePolicy;
import org.phicourier.schema.DriftPolicy;
import org.phicourier.schema.RuleFile;
import org.phicourier.schema.SchemaCheck;
import org.phicourier.schema.SchemaDrift;
import org.phicourier.schema.ViolationPolicy;

/**
 * The schema flags of {@code jdbc-to-s3}: {@code --schema-rules F} with
 * {@code --on-violation stop|quarantine|null}, {@code --on-drift evolve|stop|drop|quarantine}
 * (with state) and {@code --out-of-range fail|null|text}.
 */
final class SchemaFlags {
    static final String RULES = "--schema-rules";
    static final String ON_VIOLATION = "--on-violation";
    static final String ON_DRIFT = "--on-drift";
    static final String OUT_OF_RANGE = "--out-of-range";
    static final String USAGE = "[--schema-rules F [--on-violation stop|quarantine|null]]"
            + " [--on-drift evolve|stop|drop|quarantine] [--out-of-range fail|null|text]";

    private SchemaFlags() {
    }

    /** Fails on flags that cannot work together, before anything connects. */
    static void check(String command, CommandLine line, boolean stateful) {
        if (line.has(ON_VIOLATION) && !line.has(RULES)) {
            throw new UsageException(command + ": " + ON_VIOLATION + " needs " + RULES);
        }
        if (line.has(ON_DRIFT) && !stateful) {
            throw new UsageException(command + ": " + ON_DRIFT + " needs --state-file or"
                    + " --state-uri, where the schema of each run is kept");
        }
        violationPolicy(command, line);
        driftPolicy(command, line);
        outOfRange(command, line);
    }

    static Optional<OutOfRangePolicy> outOfRange(String command, CommandLine line) {
        return line.value(OUT_OF_RANGE).map(name -> switch (name) {
            case "fail" -> OutOfRangePolicy.FAIL;
            case "null" -> OutOfRangePolicy.NULL;
            case "text" -> OutOfRangePolicy.TEXT;
            default -> throw new UsageException(command + ": " + OUT_OF_RANGE
                    + " must be fail, null or text, not '" + name + "'");
        });
    }

    private static ViolationPolicy violationPolicy(String command, CommandLine line) {
        String name = line.value(ON_VIOLATION).orElse("stop");
        return switch (name) {
            case "stop", "quarantine", "null" -> ViolationPolicy.valueOf(
                    name.toUpperCase(Locale.ROOT));
            default -> throw new UsageException(command + ": " + ON_VIOLATION
                    + " must be stop, quarantine or null, not '" + name + "'");
        };
    }

    private static Optional<DriftPolicy> driftPolicy(String command, CommandLine line) {
        return line.value(ON_DRIFT).map(name -> switch (name) {
            case "evolve", "stop", "drop", "quarantine" -> DriftPolicy.valueOf(
                    name.toUpperCase(Locale.ROOT));
            default -> throw new UsageException(command + ": " + ON_DRIFT
                    + " must be evolve, stop, drop or quarantine, not '" + name + "'");
        });
    }

    /** Adds the schema check (first, so it sees the values as read) and the drift handling. */
    static void apply(String command, CommandLine line, Pipeline.Builder pipeline,
            Quarantine quarantine) {
        line.value(RULES).ifPresent(file -> pipeline.through(SchemaCheck.builder()
                .rules(RuleFile.read(Path.of(file)))
                .onViolation(violationPolicy(command, line)).quarantine(quarantine).build()));
        driftPolicy(command, line).ifPresent(policy -> pipeline.schemaDrift(
                SchemaDrift.builder().onDrift(policy).quarantine(quarantine).build()));
    }
}
