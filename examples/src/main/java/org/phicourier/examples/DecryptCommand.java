package org.phicourier.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.phicourier.s3.S3ObjectReader;

/**
 * {@code decrypt}: verifies and decrypts one object and writes its decompressed plaintext to
 * standard output. Nothing is written unless the whole object has been authenticated.
 */
final class DecryptCommand {
    static final String NAME = "decrypt";
    static final String USAGE = NAME + " --bucket B --key K (--kms-key-id ID | --master-key-file F)"
            + " [--endpoint URL]";
    private static final Set<String> VALUES = Set.of("--bucket", "--key", Keyrings.KMS_KEY_ID,
            Keyrings.MASTER_KEY_FILE, "--endpoint");

    private DecryptCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES, Set.of());
        String bucket = line.required("--bucket");
        String key = line.required("--key");
        Keyrings.check(line);
        try (AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(aws.s3())
                    .keyring(Keyrings.from(line, aws)).build();
            try (InputStream content = reader.openContent(bucket, key)) {
                content.transferTo(out);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("object '" + key + "' could not be written out", e);
            }
            return 0;
        }
    }
}
