package org.phicourier.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.phicourier.deid.Classifier;
import org.phicourier.deid.Preset;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/**
 * {@code classify}: reads a sample of each table and prints, as JSON, the PHI category the
 * classifier proposes for each column (and JSON path), with its confidence, evidence and the
 * operation the chosen preset would apply; never a value.
 */
final class ClassifyCommand {
    static final String NAME = "classify";
    static final String USAGE = NAME + " --jdbc-url URL [--user U] [--password-env VAR]"
            + " --tables a,b [--sample N] [--preset safe-harbor|limited-data-set|research]";
    private static final Set<String> VALUES = Set.of("--jdbc-url", "--user", "--password-env",
            "--tables", "--sample", Deid.PRESET);

    private ClassifyCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES, Set.of());
        int sample = sample(line);
        Preset preset = Preset.named(line.value(Deid.PRESET).orElse("safe-harbor"));
        Map<String, List<Classifier.Proposal>> proposals = new LinkedHashMap<>();
        try (JdbcSource source = JdbcToS3Command.source(line)) {
            for (StreamDescriptor stream : source.discover()) {
                proposals.put(stream.name(), Classifier.standard().classify(stream,
                        read(source, stream, sample)));
            }
        }
        out.println(Classifier.toJson(proposals, preset));
        return 0;
    }

    private static int sample(CommandLine line) {
        String value = line.value("--sample").orElse("200");
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > 100_000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(NAME + ": --sample must be a number from 0 to 100000");
        }
    }

    private static List<Row> read(JdbcSource source, StreamDescriptor stream, int limit) {
        List<Row> rows = new ArrayList<>();
        if (limit == 0) {
            return rows;
        }
        try (StreamReader reader = source.open(stream)) {
            Optional<RowBatch> batch = reader.next();
            while (batch.isPresent() && rows.size() < limit) {
                batch.get().rows().stream().limit(limit - rows.size()).forEach(rows::add);
                batch = rows.size() < limit ? reader.next() : Optional.empty();
            }
        }
        return rows;
    }
}
