package org.phicourier.s3.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.s3.IntegrityChecksum;

/**
 * How objects are sent, beyond their content: part retries, the checksum over the ciphertext,
 * server-side encryption with KMS and object tags.
 *
 * @param retry retries of part uploads; its budget is shared by everything using these options
 * @param checksum the checksum each part and object carries
 * @param sseKmsKeyId the KMS key for SSE-KMS on top of client-side encryption, when wanted
 * @param bucketKey true to use an S3 Bucket Key with SSE-KMS
 * @param tags object tags, names and values chosen by the caller (never record content)
 */
public record UploadOptions(PartRetry retry, IntegrityChecksum checksum,
        Optional<String> sseKmsKeyId, boolean bucketKey, Map<String, String> tags) {
    /**
     * Creates the options, copying the tags.
     *
     * @param retry retries of part uploads
     * @param checksum the checksum
     * @param sseKmsKeyId the SSE-KMS key, when wanted
     * @param bucketKey true to use an S3 Bucket Key
     * @param tags object tags
     */
    public UploadOptions {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(sseKmsKeyId, "sseKmsKeyId");
        tags = Map.copyOf(tags);
    }

    /**
     * The defaults: standard retries, SHA-256, no SSE-KMS, no tags.
     *
     * @return the options
     */
    public static UploadOptions standard() {
        return new UploadOptions(PartRetry.standard(), IntegrityChecksum.SHA256,
                Optional.empty(), false, Map.of());
    }

    /**
     * Returns the same options with a full retry budget of their own, for one writer.
     *
     * @return the copy
     */
    public UploadOptions forWriter() {
        return new UploadOptions(retry.fresh(), checksum, sseKmsKeyId, bucketKey, tags);
    }
}
