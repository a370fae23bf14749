package org.phicourier.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * An S3 and KMS emulator on a loopback port: either one named by {@code AWS_ENDPOINT_URL} (for
 * example LocalStack), or a {@code moto_server} process started here and stopped by
 * {@link #close()}.
 *
 * <p>Clients it builds use fixed test credentials, region {@code us-east-1}, path-style access and
 * checksums only where the API requires them, as the emulators need.
 */
public final class S3Emulator implements AutoCloseable {
    /** The environment variable that points at an already running emulator. */
    public static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final Process process;

    private S3Emulator(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /**
     * Uses the emulator named by {@code AWS_ENDPOINT_URL}, or starts {@code moto_server}.
     *
     * @return the running emulator
     * @throws EmulatorUnavailableException when neither is available
     */
    public static S3Emulator start() {
        String configured = System.getenv(ENDPOINT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new S3Emulator(URI.create(configured.strip()), null);
        }
        Path moto = findOnPath("moto_server").orElseThrow(() -> new EmulatorUnavailableException(
                "no S3/KMS emulator: moto_server is not on the PATH and " + ENDPOINT_VARIABLE
                        + " is not set"));
        return startMoto(moto);
    }

    /**
     * Refers to an emulator that is already running; {@link #close()} leaves it running.
     *
     * @param endpoint its endpoint, such as {@code http://127.0.0.1:4566}
     * @return the emulator
     */
    public static S3Emulator attach(URI endpoint) {
        return new S3Emulator(endpoint, null);
    }

    /**
     * Finds an executable on the {@code PATH}.
     *
     * @param name the program name
     * @return its path, when found
     */
    public static Optional<Path> findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static S3Emulator startMoto(Path moto) {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-server-", ".log");
            log.toFile().deleteOnExit();
            Process process = new ProcessBuilder(moto.toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            S3Emulator emulator = new S3Emulator(URI.create("http://127.0.0.1:" + port), process);
            emulator.awaitReady();
            return emulator;
        } catch (IOException e) {
            throw new EmulatorUnavailableException("cannot start moto_server: " + e.getMessage());
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new EmulatorUnavailableException("moto_server exited with code "
                        + process.exitValue() + " before it answered");
            }
            if (answers()) {
                return;
            }
            sleep(200);
        }
        close();
        throw new EmulatorUnavailableException("moto_server did not answer within "
                + START_TIMEOUT.toSeconds() + " s");
    }

    private boolean answers() {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmulatorUnavailableException("no free loopback port: " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorUnavailableException("interrupted while waiting for the emulator");
        }
    }

    /**
     * Returns the emulator's endpoint.
     *
     * @return the endpoint, such as {@code http://127.0.0.1:4566}
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Tells whether this object started the emulator process (rather than using a running one).
     *
     * @return true when {@link #close()} will stop a process
     */
    public boolean startedHere() {
        return process != null;
    }

    /**
     * Builds an S3 client for the emulator.
     *
     * @return a new client; the caller closes it
     */
    public S3Client s3Client() {
        return s3Client(endpoint);
    }

    /**
     * Builds an S3 client with the emulator's settings for another endpoint, such as a proxy in
     * front of the emulator.
     *
     * @param at the endpoint the client talks to
     * @return a new client; the caller closes it
     */
    public static S3Client s3Client(URI at) {
        return S3Client.builder()
                .endpointOverride(at)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /**
     * Builds a KMS client for the emulator.
     *
     * @return a new client; the caller closes it
     */
    public KmsClient kmsClient() {
        return KmsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .build();
    }

    /**
     * Creates a bucket with a unique name and the settings a bucket for PHI needs: public access
     * fully blocked, default encryption (SSE-S3) and versioning. It has no policy that denies
     * non-TLS requests, since the emulator would apply it to its own plain-HTTP endpoint; the
     * sink's preflight waives that requirement for plain-HTTP clients (see
     * {@link #requireTls(String)} for a bucket that also meets it).
     *
     * @param prefix the start of the name, lower-case
     * @return the bucket name
     */
    public String createBucket(String prefix) {
        String bucket = createBareBucket(prefix);
        try (S3Client s3 = s3Client()) {
            makeCompliant(s3, bucket);
        }
        return bucket;
    }

    /**
     * Gives an existing bucket the settings {@link #createBucket(String)} gives new ones.
     *
     * @param s3 a client for the emulator
     * @param bucket the bucket
     */
    public static void makeCompliant(S3Client s3, String bucket) {
        s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)
                .restrictPublicBuckets(true)));
        s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c
                .rules(ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d -> d
                        .sseAlgorithm(ServerSideEncryption.AES256)).build())));
        s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v
                .status(BucketVersioningStatus.ENABLED)));
    }

    /**
     * Creates a bucket with a unique name and S3's bare defaults: no public access block, no
     * default encryption, no versioning, no policy (what a preflight must refuse).
     *
     * @param prefix the start of the name, lower-case
     * @return the bucket name
     */
    public String createBareBucket(String prefix) {
        String bucket = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = s3Client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    /**
     * Adds the policy that denies every request without TLS. The emulator ignores the policy's
     * condition and then refuses every object request, so use it only on buckets that are
     * checked, not written.
     *
     * @param bucket the bucket
     */
    public void requireTls(String bucket) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyNonTls\","
                + "\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":["
                + "\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}";
        try (S3Client s3 = s3Client()) {
            s3.putBucketPolicy(r -> r.bucket(bucket).policy(policy));
        }
    }

    /**
     * Creates a symmetric KMS key.
     *
     * @return the key id
     */
    public String createKmsKey() {
        try (KmsClient kms = kmsClient()) {
            return kms.createKey(k -> k.description("phi-courier test key")).keyMetadata().keyId();
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    /** Stops the emulator process when this object started it. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "S3Emulator[" + endpoint + (startedHere() ? ", moto_server" : "") + "]";
    }
}
