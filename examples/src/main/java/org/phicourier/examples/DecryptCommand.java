package org.phicourier.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.parquet.ParquetFormat;

/**
 * {@code decrypt}: verifies and decrypts one object and writes its decompressed plaintext to
 * standard output, in the format the sink wrote (JSON Lines or CSV; gzip, zstd or none, as the
 * object's metadata says; a Parquet object is written out as the Parquet file's bytes, for a
 * Parquet tool to read). Nothing is written unless the whole object has been authenticated.
 * {@code --format-version v2} also accepts non-committing V2 objects (V3 only by default);
 * {@code --instruction-file} looks for the envelope in {@code <key>.instruction} when the object
 * carries none (V3 objects that use one are read either way).
 */
final class DecryptCommand {
    static final String NAME = "decrypt";
    static final String USAGE = NAME + " --bucket B --key K " + Keyrings.CHOICE
            + " [--format-version v2|v3] [--instruction-file] [--endpoint URL]";
    private static final Set<String> VALUES = Set.of("--bucket", "--key", Keyrings.KMS_KEY_ID,
            Keyrings.MASTER_KEY_FILE, Keyrings.RSA_KEY_FILE, Keyrings.FORMAT_VERSION,
            "--endpoint");

    private DecryptCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES,
                Set.of(Keyrings.INSTRUCTION_FILE));
        String bucket = line.required("--bucket");
        String key = line.required("--key");
        CommitmentPolicy policy = Keyrings.formatVersion(line) == EnvelopeVersion.V2
                ? CommitmentPolicy.ALLOW_NON_COMMITTING : CommitmentPolicy.REQUIRE_COMMITMENT;
        Keyrings.check(line);
        try (AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(aws.s3())
                    .keyring(Keyrings.from(line, aws)).commitmentPolicy(policy)
                    .instructionFiles(line.has(Keyrings.INSTRUCTION_FILE))
                    .format(ParquetFormat.create())
                    .allowPlainHttp(aws.plainHttp()).build();
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
