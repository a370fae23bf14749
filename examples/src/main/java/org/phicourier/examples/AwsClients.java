package org.phicourier.examples;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the S3 and KMS clients of the example programs: credentials and region from the usual
 * AWS variables and files, an optional endpoint ({@code --endpoint} or {@code AWS_ENDPOINT_URL})
 * that may be plain HTTP only on a loopback address.
 */
final class AwsClients implements AutoCloseable {
    private static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";

    private final Optional<URI> endpoint;
    private final S3Client s3;
    private final KmsClient kms;

    private AwsClients(Optional<URI> endpoint) {
        this.endpoint = endpoint;
        Region region = region();
        AwsCredentialsProvider credentials = credentials();
        var s3Builder = S3Client.builder().region(region).credentialsProvider(credentials);
        var kmsBuilder = KmsClient.builder().region(region).credentialsProvider(credentials);
        endpoint.ifPresent(uri -> {
            s3Builder.endpointOverride(uri).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            kmsBuilder.endpointOverride(uri);
        });
        this.s3 = s3Builder.build();
        this.kms = kmsBuilder.build();
    }

    /**
     * Creates clients for the endpoint given on the command line, else in {@code AWS_ENDPOINT_URL},
     * else for AWS itself.
     */
    static AwsClients create(Optional<String> endpointFlag) {
        Optional<String> configured = endpointFlag.or(() ->
                Optional.ofNullable(System.getenv(ENDPOINT_VARIABLE)).filter(s -> !s.isBlank()));
        return new AwsClients(configured.map(AwsClients::checkedEndpoint));
    }

    /** Creates clients for a known emulator endpoint. */
    static AwsClients forEmulator(URI endpoint) {
        return new AwsClients(Optional.of(checkedEndpoint(endpoint.toString())));
    }

    private static URI checkedEndpoint(String text) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("endpoint '" + text + "' is not a URL");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new UsageException("endpoint '" + text + "' must be an http(s) URL with a host");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new UsageException("endpoint '" + text + "' is plain HTTP on a non-loopback"
                    + " address; use HTTPS (plain HTTP is accepted only for a local emulator)");
        }
        return uri;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private Region region() {
        if (endpoint.isPresent() && isLoopback(endpoint.get().getHost())) {
            // The full chain ends at the instance metadata service, a call off this machine
            // that a local emulator never needs.
            return Optional.ofNullable(System.getenv("AWS_REGION"))
                    .or(() -> Optional.ofNullable(System.getenv("AWS_DEFAULT_REGION")))
                    .filter(name -> !name.isBlank()).map(Region::of).orElse(Region.US_EAST_1);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            if (endpoint.isPresent()) {
                return Region.US_EAST_1;
            }
            throw new UsageException("no AWS region configured: set AWS_REGION");
        }
    }

    private AwsCredentialsProvider credentials() {
        if (endpoint.isPresent() && isLoopback(endpoint.get().getHost())
                && !realCredentialsConfigured()) {
            // A local emulator accepts any credentials; fixed ones spare a first-time user setup.
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * Tells whether AWS credentials appear to be configured, from variables and the presence of
     * the shared files; their contents are not read.
     */
    static boolean realCredentialsConfigured() {
        for (String variable : new String[] {"AWS_ACCESS_KEY_ID", "AWS_PROFILE",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        Path home = Path.of(System.getProperty("user.home"), ".aws");
        return Files.exists(home.resolve("credentials")) || Files.exists(home.resolve("config"));
    }

    boolean plainHttp() {
        return endpoint.map(uri -> uri.getScheme().equals("http")).orElse(false);
    }

    Optional<URI> endpoint() {
        return endpoint;
    }

    S3Client s3() {
        return s3;
    }

    KmsClient kms() {
        return kms;
    }

    @Override
    public void close() {
        s3.close();
        kms.close();
    }
}
