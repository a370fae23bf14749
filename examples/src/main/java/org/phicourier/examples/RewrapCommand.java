package org.phicourier.examples;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.phicourier.crypto.Keyring;
import org.phicourier.s3.KeyRotation;
import org.phicourier.s3.RotationEvent;
import org.phicourier.s3.RotationReport;

/**
 * {@code rewrap}: re-wraps the data keys of the objects under a prefix from one master key to
 * another, rewriting only their envelopes (object metadata or instruction files), never their
 * data. Prints one line per object (outcome, key, what changed) and then the report as JSON; with
 * {@code --dry-run} it checks every object and prints what it would change, writing nothing.
 * With {@code --audit-uri} the rotation is also written to the audit trail, one event per object.
 * Exits 1 when any object failed.
 */
final class RewrapCommand {
    static final String NAME = "rewrap";
    static final String USAGE = NAME + " --bucket B [--prefix P]"
            + " (--from-kms-key-id ID | --from-master-key-file F | --from-rsa-key-file F)"
            + " (--to-kms-key-id ID | --to-master-key-file F | --to-rsa-key-file F)"
            + " [--dry-run] [--instruction-file] [--allow-legacy-key-wraps] [--endpoint URL]"
            + " [--audit-uri file:PATH|s3://bucket/prefix [--actor NAME]]";
    private static final Set<String> SWITCHES = Set.of("--dry-run", Keyrings.INSTRUCTION_FILE,
            "--allow-legacy-key-wraps");

    private RewrapCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Set<String> values = new HashSet<>(Set.of("--bucket", "--prefix", "--endpoint",
                Observability.AUDIT_URI, Observability.ACTOR));
        values.addAll(Keyrings.flags("from-"));
        values.addAll(Keyrings.flags("to-"));
        CommandLine line = CommandLine.parse(NAME, args, values, SWITCHES);
        String bucket = line.required("--bucket");
        Keyrings.check(line, "from-");
        Keyrings.check(line, "to-");
        if (line.has(Observability.ACTOR) && !line.has(Observability.AUDIT_URI)) {
            throw new UsageException(NAME + ": " + Observability.ACTOR + " needs "
                    + Observability.AUDIT_URI);
        }
        try (AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            Keyring from = Keyrings.from(line, aws, "from-");
            Keyring to = Keyrings.from(line, aws, "to-");
            KeyRotation.Builder rotation = KeyRotation.builder().s3Client(aws.s3()).from(from)
                    .to(to).dryRun(line.has("--dry-run"))
                    .instructionFiles(line.has(Keyrings.INSTRUCTION_FILE))
                    .allowLegacyKeyWraps(line.has("--allow-legacy-key-wraps"))
                    .onEvent(event -> print(out, event))
                    .allowPlainHttp(aws.plainHttp());
            line.value(Observability.AUDIT_URI).ifPresent(uri -> rotation.audit(
                    Observability.auditSink(line, uri, aws), line.value(Observability.ACTOR)
                            .orElse(System.getProperty("user.name", "unknown"))));
            RotationReport report = rotation.build().rewrap(bucket,
                    line.value("--prefix").orElse(""));
            out.println(report.toJson());
            return report.succeeded() ? Main.OK : Main.FAILED;
        }
    }

    private static void print(PrintStream out, RotationEvent event) {
        out.println(event.outcome() + " " + event.objectKey() + ": " + event.detail());
    }
}
