package org.phicourier.s3;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.SinkException;
import org.phicourier.s3.BucketCompliance.Finding;
import org.phicourier.s3.BucketCompliance.Requirement;
import org.phicourier.s3.internal.BucketCheck;
import org.phicourier.s3.internal.BucketPolicies;
import org.phicourier.s3.internal.Transport;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Checks, without writing anything, whether a bucket is fit to hold PHI: its public access block
 * is fully on, it encrypts at rest by default, versioning is enabled, its policy denies requests
 * made without TLS, and (when an account is given) it belongs to that account. A setting that
 * cannot be read counts as not met, so the check fails closed.
 *
 * <p>{@link S3Sink} runs this before its first write; the {@code preflight} command of the
 * examples prints the result. The account-level public access block is not read (it needs the
 * S3 Control API); the bucket's own block must be on.
 *
 * <p>Instances are immutable and thread-safe; the S3 client is owned by the caller.
 */
public final class BucketPreflight {
    private final S3Client s3;
    private final String bucket;
    private final Optional<String> expectedOwner;
    private final boolean plainHttp;

    private BucketPreflight(Builder builder) {
        this.s3 = builder.s3;
        this.bucket = builder.bucket;
        this.expectedOwner = Optional.ofNullable(builder.expectedOwner);
        Optional<URI> endpoint = s3.serviceClientConfiguration().endpointOverride();
        this.plainHttp = endpoint.isPresent() && "http".equalsIgnoreCase(endpoint.get()
                .getScheme());
    }

    /**
     * Starts building a preflight.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the bucket's settings and reports every requirement it fails.
     *
     * @return the result
     * @throws ConfigurationException when the bucket does not exist or access is denied
     * @throws SinkException when S3 cannot be reached
     */
    public BucketCompliance run() {
        new BucketCheck(s3, bucket).run();
        List<Finding> findings = new ArrayList<>();
        List<Finding> waived = new ArrayList<>();
        publicAccess().ifPresent(findings::add);
        encryption().ifPresent(findings::add);
        versioning().ifPresent(findings::add);
        // A bucket that denies non-TLS requests refuses the plain-HTTP client the caller chose.
        tls().ifPresent(plainHttp ? waived::add : findings::add);
        owner().ifPresent(findings::add);
        return BucketCompliance.of(bucket, findings, waived);
    }

    private Optional<Finding> publicAccess() {
        try {
            PublicAccessBlockConfiguration block = s3.getPublicAccessBlock(r -> r.bucket(bucket))
                    .publicAccessBlockConfiguration();
            boolean all = isTrue(block.blockPublicAcls()) && isTrue(block.ignorePublicAcls())
                    && isTrue(block.blockPublicPolicy()) && isTrue(block.restrictPublicBuckets());
            return all ? Optional.empty() : finding(Requirement.PUBLIC_ACCESS_BLOCKED,
                    "the public access block is only partly on");
        } catch (S3Exception e) {
            return unread(Requirement.PUBLIC_ACCESS_BLOCKED, "no public access block", e);
        }
    }

    private Optional<Finding> encryption() {
        try {
            List<ServerSideEncryptionRule> rules = s3.getBucketEncryption(r -> r.bucket(bucket))
                    .serverSideEncryptionConfiguration().rules();
            boolean on = rules.stream().anyMatch(rule -> rule.applyServerSideEncryptionByDefault()
                    != null && rule.applyServerSideEncryptionByDefault().sseAlgorithm() != null);
            return on ? Optional.empty() : finding(Requirement.DEFAULT_ENCRYPTION,
                    "no default encryption rule");
        } catch (S3Exception e) {
            return unread(Requirement.DEFAULT_ENCRYPTION, "default encryption is off", e);
        }
    }

    private Optional<Finding> versioning() {
        try {
            BucketVersioningStatus status = s3.getBucketVersioning(r -> r.bucket(bucket))
                    .status();
            return status == BucketVersioningStatus.ENABLED ? Optional.empty()
                    : finding(Requirement.VERSIONING, "versioning is "
                            + (status == null ? "off" : status.toString()));
        } catch (S3Exception e) {
            return unread(Requirement.VERSIONING, "versioning is off", e);
        }
    }

    private Optional<Finding> tls() {
        try {
            String policy = s3.getBucketPolicy(r -> r.bucket(bucket)).policy();
            return BucketPolicies.deniesInsecureTransport(policy, bucket) ? Optional.empty()
                    : finding(Requirement.TLS_REQUIRED, "the bucket policy does not deny"
                            + " requests without TLS to the bucket and all its objects");
        } catch (S3Exception e) {
            return unread(Requirement.TLS_REQUIRED, "no bucket policy", e);
        }
    }

    private Optional<Finding> owner() {
        if (expectedOwner.isEmpty()) {
            return Optional.empty();
        }
        try {
            s3.headBucket(r -> r.bucket(bucket).expectedBucketOwner(expectedOwner.get()));
            return Optional.empty();
        } catch (S3Exception e) {
            return finding(Requirement.EXPECTED_OWNER, e.statusCode() == 403
                    ? "the bucket does not belong to account " + expectedOwner.get()
                    : "the owner cannot be checked: HTTP " + e.statusCode());
        }
    }

    /** A 404 means the setting is absent; anything else means it could not be read. */
    private Optional<Finding> unread(Requirement requirement, String absent, S3Exception e) {
        if (e.statusCode() == 404) {
            return finding(requirement, absent);
        }
        return finding(requirement, "cannot be read: HTTP " + e.statusCode());
    }

    private static Optional<Finding> finding(Requirement requirement, String detail) {
        return Optional.of(new Finding(requirement, detail));
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    @Override
    public String toString() {
        return "BucketPreflight[" + bucket + expectedOwner.map(o -> ", owner " + o).orElse("")
                + "]";
    }

    /** Builds a {@link BucketPreflight}; mutable and not thread-safe. */
    public static final class Builder {
        private S3Client s3;
        private String bucket;
        private String expectedOwner;
        private boolean allowPlainHttp;

        private Builder() {
        }

        /**
         * Sets the S3 client. Required; the caller keeps ownership.
         *
         * @param s3 the client
         * @return this builder
         */
        public Builder s3Client(S3Client s3) {
            this.s3 = Objects.requireNonNull(s3, "s3");
            return this;
        }

        /**
         * Sets the bucket. Required.
         *
         * @param bucket the bucket name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            this.bucket = Objects.requireNonNull(bucket, "bucket");
            return this;
        }

        /**
         * Sets the AWS account id that must own the bucket; not checked when absent.
         *
         * @param accountId the 12-digit account id, or null for no check
         * @return this builder
         */
        public Builder expectedOwner(String accountId) {
            this.expectedOwner = accountId;
            return this;
        }

        /**
         * Allows an S3 client whose endpoint is plain HTTP, such as a local emulator; off by
         * default. The TLS requirement is then waived (reported, not blocking), since a bucket
         * that meets it would refuse this client.
         *
         * @param allow true to allow plain HTTP
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Builds the preflight.
         *
         * @return the preflight
         * @throws ConfigurationException when the client or bucket is missing, or the endpoint
         *     is plain HTTP and not allowed
         */
        public BucketPreflight build() {
            if (s3 == null || bucket == null || bucket.isBlank()) {
                throw new ConfigurationException("bucket preflight: s3Client and bucket are"
                        + " required");
            }
            Transport.check(s3, allowPlainHttp, "bucket preflight");
            return new BucketPreflight(this);
        }
    }
}
