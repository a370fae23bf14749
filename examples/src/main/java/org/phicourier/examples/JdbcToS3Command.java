package org.phicourier.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.deid.Deidentifier;
import org.phicourier.deid.SinkQuarantine;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.masking.MaskingTransformer;
import org.phicourier.s3.S3Sink;
import org.phicourier.spi.ReplicationMode;

/**
 * {@code jdbc-to-s3}: reads tables over JDBC, masks or de-identifies them, encrypts them and
 * writes them to S3, then prints the run report as JSON on standard output (and, with
 * {@code --preset}, the de-identification report on a second line), and nothing that comes from
 * a record. Records de-identification withholds go, encrypted, to
 * {@code <prefix>/<stream>.quarantine/}.
 *
 * <p>With {@code --state-file} or {@code --state-uri} runs keep state: {@code --mode incremental}
 * reads only what changed since the previous run (by the {@code --cursor} of each table, or by
 * transaction id on PostgreSQL), {@code --mode full} writes a new generation per run, and a rerun
 * with the same flags after any failure resumes where the failed run stopped.
 *
 * <p>{@code --schema-rules F} checks every record against declared rules before any masking;
 * {@code --on-violation} stops the run (exit 1), quarantines the record or nulls the value.
 * {@code --on-drift} (with state) decides what a changed table schema does; schema versions go
 * to {@code <prefix>/<stream>.schema/}.
 */
final class JdbcToS3Command {
    static final String NAME = "jdbc-to-s3";
    static final String USAGE = NAME + " --jdbc-url URL [--user U] [--password-env VAR]"
            + " --tables a,b --bucket B [--prefix P] " + Keyrings.CHOICE
            + " [--format-version v2|v3] [--instruction-file] [--endpoint URL]"
            + " (--masking-config FILE | --keep-all"
            + " | --preset safe-harbor|limited-data-set|research --deid-key-file F"
            + " [--deid-config FILE])"
            + " [--state-file F | --state-uri s3://bucket/key] [--mode full|incremental]"
            + " [--cursor table=col1,col2]... [--max-records-per-object N] [--chunk-size N]"
            + " [--batch-size N] [--read-connections N] [--transform-threads N] "
            + SchemaFlags.USAGE + ObjectLayout.USAGE
            + " [--allow-noncompliant-bucket] " + Observability.USAGE;
    private static final String MODE = "--mode";
    private static final String CURSOR = "--cursor";
    private static final String TRANSFORM_THREADS = "--transform-threads";
    private static final Set<String> VALUES = Observability.with(union(ObjectLayout.VALUES,
            Observability.VALUES), "--jdbc-url", "--user", "--password-env", "--tables",
            "--bucket", "--prefix", Keyrings.KMS_KEY_ID, Keyrings.MASTER_KEY_FILE,
            Keyrings.RSA_KEY_FILE, Keyrings.FORMAT_VERSION, "--endpoint", "--masking-config",
            StateFlags.FILE, StateFlags.URI_FLAG, MODE, "--max-records-per-object", "--chunk-size",
            "--batch-size", "--read-connections", TRANSFORM_THREADS, Deid.PRESET, Deid.KEY_FILE,
            Deid.CONFIG, SchemaFlags.RULES, SchemaFlags.ON_VIOLATION, SchemaFlags.ON_DRIFT,
            SchemaFlags.OUT_OF_RANGE);
    private static final Set<String> SWITCHES = Observability.with(Observability.SWITCHES,
            "--keep-all", Keyrings.INSTRUCTION_FILE, ObjectLayout.ALLOW_FIELD_VALUES,
            CompliantBuckets.ALLOW_NONCOMPLIANT);

    private JdbcToS3Command() {
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return Set.copyOf(all);
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES, SWITCHES, Set.of(CURSOR));
        Observability.logLevel(line);
        String masking = line.exactlyOne("--masking-config", "--keep-all", Deid.PRESET);
        Deid.rejectStrayFlags(line, masking.equals(Deid.PRESET));
        EnvelopeVersion version = Keyrings.formatVersion(line);
        String bucket = line.required("--bucket");
        Keyrings.check(line);
        checkState(line);
        JdbcSource source = source(line);
        try (AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            Keyring keyring = Keyrings.from(line, aws);
            S3Sink.Builder sink = S3Sink.builder().s3Client(aws.s3()).bucket(bucket)
                    .prefix(line.value("--prefix").orElse("")).keyring(keyring)
                    .formatVersion(version).instructionFile(line.has(Keyrings.INSTRUCTION_FILE))
                    .allowPlainHttp(aws.plainHttp())
                    .allowNoncompliantBucket(line.has(CompliantBuckets.ALLOW_NONCOMPLIANT));
            line.positive("--max-records-per-object").ifPresent(sink::maxRecordsPerObject);
            ObjectLayout.apply(NAME, line, sink);
            S3Sink built = sink.build();
            SinkQuarantine quarantine = SinkQuarantine.of(built);
            Pipeline.Builder pipeline = Pipeline.from(source);
            line.positive(TRANSFORM_THREADS).ifPresent(pipeline::transformThreads);
            SchemaFlags.apply(NAME, line, pipeline, quarantine);
            Observability.apply(line, pipeline, aws, err);
            if (masking.equals("--masking-config")) {
                pipeline.through(MaskingTransformer.fromJson(
                        Path.of(line.required("--masking-config"))));
            }
            StateFlags.store(line, aws).ifPresent(store -> pipeline.state(store, keyring));
            return run(line, pipeline.to(built), quarantine, masking.equals(Deid.PRESET), out);
        }
    }

    /** Runs, then commits whatever was quarantined, even when the run failed. */
    private static int run(CommandLine line, Pipeline.Builder pipeline,
            SinkQuarantine quarantine, boolean deidentify, PrintStream out) {
        Optional<Deidentifier> deid = deidentify ? Optional.of(Deid.from(line, quarantine))
                : Optional.empty();
        deid.ifPresent(pipeline::through);
        RunReport report;
        try {
            report = pipeline.build().run();
        } finally {
            quarantine.close();
        }
        out.println(report.toJson());
        deid.ifPresent(d -> out.println(Deid.compactReport(d)));
        return 0;
    }

    private static void checkState(CommandLine line) {
        StateFlags.checkAtMostOne(line);
        boolean stateful = StateFlags.given(line);
        SchemaFlags.check(NAME, line, stateful);
        if (mode(line) == ReplicationMode.INCREMENTAL && !stateful) {
            throw new UsageException(NAME + ": --mode incremental needs " + StateFlags.FILE + " or "
                    + StateFlags.URI_FLAG + " to keep the bookmarks between runs");
        }
        if (line.has(CURSOR) && mode(line) != ReplicationMode.INCREMENTAL) {
            throw new UsageException(NAME + ": " + CURSOR + " needs --mode incremental");
        }
    }

    private static ReplicationMode mode(CommandLine line) {
        String mode = line.value(MODE).orElse("full");
        return switch (mode) {
            case "full" -> ReplicationMode.FULL_REFRESH;
            case "incremental" -> ReplicationMode.INCREMENTAL;
            default -> throw new UsageException(NAME + ": --mode must be full or incremental,"
                    + " not '" + mode + "'");
        };
    }

    static JdbcSource source(CommandLine line) {
        JdbcSource.Builder builder = JdbcSource.builder().jdbcUrl(line.required("--jdbc-url"))
                .mode(mode(line));
        line.value("--user").ifPresent(builder::user);
        line.value("--password-env").ifPresent(variable -> {
            if (System.getenv(variable) == null) {
                throw new UsageException(NAME + ": --password-env names " + variable
                        + ", which is not set");
            }
            builder.password(() -> System.getenv(variable));
        });
        line.positive("--chunk-size").ifPresent(builder::chunkSize);
        line.positive("--read-connections").ifPresent(builder::readConnections);
        line.positive("--batch-size").ifPresent(builder::batchSize);
        SchemaFlags.outOfRange(NAME, line).ifPresent(builder::outOfRangeValues);
        builder.countRowsFirst(Observability.progress(line));
        List<String> tables = Arrays.stream(line.required("--tables").split(","))
                .map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (tables.isEmpty()) {
            throw new UsageException(NAME + ": --tables names no table");
        }
        tables.forEach(builder::table);
        cursors(line, new HashSet<>(tables), builder);
        return builder.build();
    }

    private static void cursors(CommandLine line, Set<String> tables, JdbcSource.Builder builder) {
        Set<String> seen = new HashSet<>();
        for (String cursor : line.values(CURSOR)) {
            int equals = cursor.indexOf('=');
            String table = equals < 0 ? "" : cursor.substring(0, equals).strip();
            List<String> columns = equals < 0 ? List.of() : Arrays.stream(
                    cursor.substring(equals + 1).split(",")).map(String::strip)
                    .filter(c -> !c.isEmpty()).toList();
            if (table.isEmpty() || columns.isEmpty()) {
                throw new UsageException(NAME + ": " + CURSOR + " '" + cursor + "' must have the"
                        + " form table=col1,col2");
            }
            if (!tables.contains(table)) {
                throw new UsageException(NAME + ": " + CURSOR + " names table '" + table
                        + "', which --tables does not list");
            }
            if (!seen.add(table)) {
                throw new UsageException(NAME + ": " + CURSOR + " is given twice for table '"
                        + table + "'");
            }
            builder.cursor(table, columns.toArray(String[]::new));
        }
    }
}
