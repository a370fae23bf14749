package org.phicourier.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.StreamReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.masking.MaskingTransformer;
import org.phicourier.masking.PseudonymKey;
import org.phicourier.s3.KmsKeyring;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3Sink;
import org.phicourier.testing.EmulatorUnavailableException;
import org.phicourier.testing.S3Emulator;

/**
 * {@code quickstart}: the main job end to end with nothing to set up. It writes a synthetic
 * patient population into an embedded H2 database, starts the S3/KMS emulator on a free loopback
 * port (unless {@code AWS_ENDPOINT_URL} names one, or AWS credentials and {@code --bucket} are
 * given), runs the pipeline with masking and KMS envelope encryption, reads one object back and
 * prints a summary.
 */
final class QuickstartCommand {
    static final String NAME = "quickstart";
    static final String USAGE = NAME + " [--patients N] [--bucket B"
            + " [--kms-key-id ID | --master-key-file F]] [--endpoint URL]"
            + " [--allow-noncompliant-bucket]";
    private static final Set<String> VALUES = Set.of("--patients", "--bucket",
            Keyrings.KMS_KEY_ID, Keyrings.MASTER_KEY_FILE, "--endpoint");
    private static final String PREFIX = "quickstart";

    private final CommandLine line;
    private final PrintStream out;
    private final PrintStream err;

    private QuickstartCommand(CommandLine line, PrintStream out, PrintStream err) {
        this.line = line;
        this.out = out;
        this.err = err;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES,
                Set.of(CompliantBuckets.ALLOW_NONCOMPLIANT));
        return new QuickstartCommand(line, out, err).run();
    }

    private int run() {
        int patients = patients();
        Target target = chooseTarget();
        if (!target.emulator) {
            return runAgainst(target, Optional.empty(), patients);
        }
        Optional<S3Emulator> emulator = startEmulator();
        if (emulator.isEmpty()) {
            return Main.USAGE;
        }
        try (S3Emulator running = emulator.get()) {
            return runAgainst(target, Optional.of(running), patients);
        }
    }

    /** Where the objects go: an emulator, or AWS itself. */
    private record Target(boolean emulator, Optional<String> endpoint) {
    }

    private Target chooseTarget() {
        Optional<String> endpoint = line.value("--endpoint").or(() -> Optional.ofNullable(
                System.getenv(S3Emulator.ENDPOINT_VARIABLE)).filter(s -> !s.isBlank()));
        if (endpoint.isPresent()) {
            return new Target(false, endpoint);
        }
        if (AwsClients.realCredentialsConfigured() && line.value("--bucket").isPresent()) {
            return new Target(false, Optional.empty());
        }
        if (AwsClients.realCredentialsConfigured()) {
            err.println("AWS credentials are configured but no --bucket was given:"
                    + " using the local emulator. Pass --bucket B to write to AWS instead.");
        }
        return new Target(true, Optional.empty());
    }

    private Optional<S3Emulator> startEmulator() {
        try {
            S3Emulator emulator = S3Emulator.start();
            String how = emulator.startedHere() ? "started moto_server" : "using the emulator";
            err.println(how + " at " + emulator.endpoint());
            return Optional.of(emulator);
        } catch (EmulatorUnavailableException e) {
            err.println("error: " + e.getMessage() + ".\nInstall moto (pip install"
                    + " 'moto[server]') or start LocalStack (docker run -p 4566:4566"
                    + " localstack/localstack) and run:\n  AWS_ENDPOINT_URL=http://localhost:4566"
                    + " java -jar examples/target/phi-courier-examples.jar quickstart");
            return Optional.empty();
        }
    }

    private int runAgainst(Target target, Optional<S3Emulator> emulator, int patients) {
        try (AwsClients aws = emulator.map(e -> AwsClients.forEmulator(e.endpoint()))
                .orElseGet(() -> AwsClients.create(target.endpoint))) {
            boolean scratch = target.emulator || target.endpoint.isPresent();
            String bucket = line.value("--bucket").orElseGet(() -> createBucket(aws));
            Keyring keyring = keyring(aws, scratch);
            String url = "jdbc:h2:mem:quickstart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            SyntheticPatients data = load(url, patients);
            out.printf("PHI Courier quickstart%n  source: embedded H2, %d synthetic patients,"
                    + " %d encounters%n  target: s3://%s/%s/ at %s%n  key:    %s%n",
                    data.patients(), data.encounters(), bucket, PREFIX,
                    aws.endpoint().map(URI::toString).orElse("AWS"), keyring.keyId());

            RunReport report = pipeline(url, aws, bucket, keyring).run();
            report.streams().forEach(this::printStream);
            verify(aws, bucket, keyring, report, data);
            out.println("run report: " + report.toJson());
            return Main.OK;
        }
    }

    private int patients() {
        String value = line.value("--patients").orElse("500");
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > 1_000_000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(NAME + ": --patients must be a number from 1 to 1000000");
        }
    }

    private static String createBucket(AwsClients aws) {
        String bucket = "phi-courier-quickstart-" + UUID.randomUUID().toString().substring(0, 8);
        CompliantBuckets.create(aws, bucket);
        return bucket;
    }

    private Keyring keyring(AwsClients aws, boolean scratch) {
        if (line.has(Keyrings.KMS_KEY_ID) || line.has(Keyrings.MASTER_KEY_FILE)) {
            return Keyrings.from(line, aws);
        }
        if (scratch) {
            String keyId = aws.kms().createKey(r -> r.description("PHI Courier quickstart"))
                    .keyMetadata().keyId();
            return KmsKeyring.builder().kmsClient(aws.kms()).keyId(keyId).build();
        }
        return LocalAesKeyring.fromFile(newMasterKeyFile());
    }

    private Path newMasterKeyFile() {
        Path file = Path.of("phi-courier-quickstart.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
        err.println("wrote a new master key to " + file.toAbsolutePath()
                + "; keep it to decrypt the objects");
        return file;
    }

    private static SyntheticPatients load(String url, int patients) {
        SyntheticPatients data = new SyntheticPatients(patients, 6);
        try (Connection connection = DriverManager.getConnection(url)) {
            data.load(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the embedded database", e);
        }
        return data;
    }

    private Pipeline pipeline(String url, AwsClients aws, String bucket,
            Keyring keyring) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        MaskingTransformer masking = MaskingTransformer.builder()
                .pseudonymKey(PseudonymKey.of("quickstart", secret))
                .stream("patients", rules -> rules
                        .pseudonymize("id", "mrn", "ssn")
                        .redact("first_name", "last_name")
                        .drop("birth_date", "street", "city", "zip", "phone", "email")
                        .keep("gender", "state", "updated_at"))
                .stream("encounters", rules -> rules
                        .pseudonymize("id", "patient_id")
                        .keep("started_at", "ended_at", "encounter_class", "reason_code", "cost")
                        .drop("note"))
                .build();
        JdbcSource source = JdbcSource.builder().jdbcUrl(url)
                .table("patients").table("encounters").build();
        S3Sink sink = S3Sink.builder().s3Client(aws.s3()).bucket(bucket).prefix(PREFIX)
                .keyring(keyring).allowPlainHttp(aws.plainHttp())
                .allowNoncompliantBucket(line.has(CompliantBuckets.ALLOW_NONCOMPLIANT)).build();
        return Pipeline.from(source).through(masking).to(sink).build();
    }

    private void printStream(StreamReport stream) {
        out.printf("  stream %-10s %7d records read, %7d written, %d object(s), %d bytes%n",
                stream.stream(), stream.recordsRead(), stream.recordsWritten(),
                stream.objectsWritten(), stream.bytesWritten());
    }

    private void verify(AwsClients aws, String bucket, Keyring keyring, RunReport report,
            SyntheticPatients data) {
        String key = report.stream("patients").objectKeys().get(0);
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(aws.s3()).keyring(keyring)
                .allowPlainHttp(aws.plainHttp()).build();
        String content;
        try (InputStream in = reader.openContent(bucket, key)) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + key + "' could not be read back", e);
        }
        long records = content.lines().count();
        long leaked = data.ssns().stream().filter(content::contains).count();
        out.printf("  read back %s: key commitment and tag verified, %d records,"
                + " %d plaintext SSNs found%n", key, records, leaked);
        if (leaked > 0) {
            throw new IllegalStateException("masking left SSNs in the output");
        }
    }
}
