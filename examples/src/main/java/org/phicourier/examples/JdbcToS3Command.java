package org.phicourier.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

/**
 * {@code jdbc-to-s3}: reads tables over JDBC, masks or de-identifies them, encrypts them and
 * writes them to S3, then prints the run report as JSON on standard output (and, with
 * {@code --preset}, the de-identification report on a second line), and nothing that comes from
 * a record. Records de-identification withholds go, encrypted, to
 * {@code <prefix>/<stream>.quarantine/}.
 */
final class JdbcToS3Command {
    static final String NAME = "jdbc-to-s3";
    static final String USAGE = NAME + " --jdbc-url URL [--user U] [--password-env VAR]"
            + " --tables a,b --bucket B [--prefix P] " + Keyrings.CHOICE
            + " [--format-version v2|v3] [--instruction-file] [--endpoint URL]"
            + " (--masking-config FILE | --keep-all"
            + " | --preset safe-harbor|limited-data-set|research --deid-key-file F"
            + " [--deid-config FILE])";
    private static final Set<String> VALUES = Set.of("--jdbc-url", "--user", "--password-env",
            "--tables", "--bucket", "--prefix", Keyrings.KMS_KEY_ID, Keyrings.MASTER_KEY_FILE,
            Keyrings.RSA_KEY_FILE, Keyrings.FORMAT_VERSION, "--endpoint", "--masking-config",
            Deid.PRESET, Deid.KEY_FILE, Deid.CONFIG);
    private static final Set<String> SWITCHES = Set.of("--keep-all", Keyrings.INSTRUCTION_FILE);

    private JdbcToS3Command() {
    }

    static int run(List<String> args, PrintStream out) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES, SWITCHES);
        String masking = line.exactlyOne("--masking-config", "--keep-all", Deid.PRESET);
        Deid.rejectStrayFlags(line, masking.equals(Deid.PRESET));
        EnvelopeVersion version = Keyrings.formatVersion(line);
        String bucket = line.required("--bucket");
        Keyrings.check(line);
        JdbcSource source = source(line);
        try (AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            Keyring keyring = Keyrings.from(line, aws);
            S3Sink sink = S3Sink.builder().s3Client(aws.s3()).bucket(bucket)
                    .prefix(line.value("--prefix").orElse("")).keyring(keyring)
                    .formatVersion(version).instructionFile(line.has(Keyrings.INSTRUCTION_FILE))
                    .allowPlainHttp(aws.plainHttp()).build();
            Pipeline.Builder pipeline = Pipeline.from(source);
            if (masking.equals("--masking-config")) {
                pipeline.through(MaskingTransformer.fromJson(
                        Path.of(line.required("--masking-config"))));
            }
            if (!masking.equals(Deid.PRESET)) {
                out.println(pipeline.to(sink).build().run().toJson());
                return 0;
            }
            return runDeidentified(line, pipeline, sink, out);
        }
    }

    private static int runDeidentified(CommandLine line, Pipeline.Builder pipeline, S3Sink sink,
            PrintStream out) {
        SinkQuarantine quarantine = SinkQuarantine.of(sink);
        Deidentifier deid = Deid.from(line, quarantine);
        RunReport report;
        try {
            report = pipeline.through(deid).to(sink).build().run();
        } finally {
            quarantine.close();
        }
        out.println(report.toJson());
        out.println(Deid.compactReport(deid));
        return 0;
    }

    static JdbcSource source(CommandLine line) {
        JdbcSource.Builder builder = JdbcSource.builder().jdbcUrl(line.required("--jdbc-url"));
        line.value("--user").ifPresent(builder::user);
        line.value("--password-env").ifPresent(variable -> {
            if (System.getenv(variable) == null) {
                throw new UsageException(NAME + ": --password-env names " + variable
                        + ", which is not set");
            }
            builder.password(() -> System.getenv(variable));
        });
        List<String> tables = Arrays.stream(line.required("--tables").split(","))
                .map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (tables.isEmpty()) {
            throw new UsageException(NAME + ": --tables names no table");
        }
        tables.forEach(builder::table);
        return builder.build();
    }
}
