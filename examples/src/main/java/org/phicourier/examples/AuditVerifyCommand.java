package org.phicourier.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.phicourier.audit.AuditVerification;

/**
 * {@code audit-verify}: checks the hash chain of an audit trail and prints the outcome. Exits 0
 * when every event verifies, 1 naming the first bad event (its line or object key) when one was
 * removed, edited or moved.
 */
final class AuditVerifyCommand {
    static final String NAME = "audit-verify";
    static final String USAGE = NAME + " --audit-uri file:PATH|s3://bucket/prefix"
            + " [--endpoint URL]";

    private AuditVerifyCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine line = CommandLine.parse(NAME, args,
                Set.of(Observability.AUDIT_URI, "--endpoint"), Set.of());
        String address = line.required(Observability.AUDIT_URI);
        if (address.startsWith("file:")) {
            return report(Observability.verify(Observability.auditSink(line, address, null)),
                    out, err);
        }
        try (AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            return report(Observability.verify(Observability.auditSink(line, address, aws)),
                    out, err);
        }
    }

    private static int report(AuditVerification result, PrintStream out, PrintStream err) {
        if (result.valid()) {
            out.println(result);
            return Main.OK;
        }
        err.println("failed: " + result);
        return Main.FAILED;
    }
}
