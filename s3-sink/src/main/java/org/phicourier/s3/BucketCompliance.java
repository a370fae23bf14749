package org.phicourier.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the bucket preflight found: for each requirement a bucket holding PHI must meet and does
 * not, a {@link Finding}. A finding is <em>waived</em> instead when it cannot apply: a bucket
 * that denies non-TLS requests could not be written over the plain-HTTP endpoint the caller
 * explicitly allowed (a local emulator), so that finding is reported but does not block.
 *
 * <p>Holds the bucket name, requirement names and setting values only. Instances are immutable
 * and thread-safe.
 */
public final class BucketCompliance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bucket;
    private final List<Finding> findings;
    private final List<Finding> waived;

    /** A requirement a bucket holding PHI must meet. */
    public enum Requirement {
        /** All four settings of the bucket's public access block are on. */
        PUBLIC_ACCESS_BLOCKED,
        /** The bucket encrypts new objects at rest by default (SSE-S3, SSE-KMS or DSSE-KMS). */
        DEFAULT_ENCRYPTION,
        /** Versioning is enabled, so an overwritten or deleted object can be recovered. */
        VERSIONING,
        /** The bucket policy denies every request made without TLS (aws:SecureTransport). */
        TLS_REQUIRED,
        /** The bucket belongs to the expected AWS account. */
        EXPECTED_OWNER
    }

    /**
     * One requirement the bucket does not meet.
     *
     * @param requirement the requirement
     * @param detail what was found, such as {@code versioning is Suspended}
     */
    public record Finding(Requirement requirement, String detail) {
        /**
         * Creates the finding.
         *
         * @param requirement the requirement
         * @param detail what was found
         */
        public Finding {
            Objects.requireNonNull(requirement, "requirement");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return requirement + " (" + detail + ")";
        }
    }

    private BucketCompliance(String bucket, List<Finding> findings, List<Finding> waived) {
        this.bucket = bucket;
        this.findings = List.copyOf(findings);
        this.waived = List.copyOf(waived);
    }

    /**
     * Creates a result.
     *
     * @param bucket the bucket
     * @param findings the requirements it fails
     * @param waived the requirements it fails that do not apply to this client
     * @return the result
     */
    public static BucketCompliance of(String bucket, List<Finding> findings,
            List<Finding> waived) {
        return new BucketCompliance(Objects.requireNonNull(bucket, "bucket"), findings, waived);
    }

    /**
     * Returns the bucket name.
     *
     * @return the bucket
     */
    public String bucket() {
        return bucket;
    }

    /**
     * Tells whether the bucket meets every requirement that applies.
     *
     * @return true when there are no findings
     */
    public boolean compliant() {
        return findings.isEmpty();
    }

    /**
     * Returns the requirements the bucket fails.
     *
     * @return an unmodifiable list, empty for a compliant bucket
     */
    public List<Finding> findings() {
        return findings;
    }

    /**
     * Returns the requirements the bucket fails that were waived for this client.
     *
     * @return an unmodifiable list
     */
    public List<Finding> waived() {
        return waived;
    }

    /**
     * Describes the result in one sentence naming every finding.
     *
     * @return the description
     */
    public String describe() {
        if (compliant()) {
            return "bucket '" + bucket + "' is fit for PHI";
        }
        return "bucket '" + bucket + "' is not fit for PHI: " + findings.stream()
                .map(Finding::toString).collect(Collectors.joining("; "));
    }

    /**
     * Renders the result as JSON: {@code bucket}, {@code compliant}, {@code findings} and
     * {@code waived}, each finding with {@code requirement} and {@code detail}.
     *
     * @return the JSON text
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("bucket", bucket);
        root.put("compliant", compliant());
        add(root.putArray("findings"), findings);
        add(root.putArray("waived"), waived);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the preflight result", e);
        }
    }

    private static void add(ArrayNode array, List<Finding> list) {
        list.forEach(f -> array.addObject().put("requirement", f.requirement().name())
                .put("detail", f.detail()));
    }

    @Override
    public String toString() {
        return "BucketCompliance[" + describe() + "]";
    }
}
