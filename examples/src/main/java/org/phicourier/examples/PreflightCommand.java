package org.phicourier.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.phicourier.s3.BucketCompliance;
import org.phicourier.s3.BucketPreflight;

/**
 * {@code preflight}: checks whether a bucket is fit for PHI without writing anything, prints the
 * findings as JSON on standard output, and exits 0 only for a compliant bucket (1 when it is
 * not, 2 for bad usage or a bucket that does not exist).
 */
final class PreflightCommand {
    static final String NAME = "preflight";
    static final String USAGE = NAME + " --bucket B [--expected-owner ACCOUNT_ID]"
            + " [--endpoint URL]";
    private static final Set<String> VALUES = Set.of("--bucket", "--expected-owner",
            "--endpoint");

    private PreflightCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES, Set.of());
        String bucket = line.required("--bucket");
        try (AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            BucketCompliance result = BucketPreflight.builder().s3Client(aws.s3()).bucket(bucket)
                    .expectedOwner(line.value("--expected-owner").orElse(null))
                    .allowPlainHttp(aws.plainHttp()).build().run();
            out.println(result.toJson());
            return result.compliant() ? Main.OK : Main.FAILED;
        }
    }
}
