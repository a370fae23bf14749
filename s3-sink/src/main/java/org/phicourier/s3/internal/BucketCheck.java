package org.phicourier.s3.internal;

import org.phicourier.ConfigurationException;
import org.phicourier.SinkException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Checks, before any record is read, that a bucket exists and answers. */
public final class BucketCheck {
    private final S3Client s3;
    private final String bucket;

    /**
     * Creates the check.
     *
     * @param s3 the client
     * @param bucket the bucket
     */
    public BucketCheck(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * Runs the check.
     *
     * @throws ConfigurationException when the bucket is missing or access is denied
     * @throws SinkException when S3 cannot be reached
     */
    public void run() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw missing();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw missing();
            }
            if (e.statusCode() == 403) {
                throw new ConfigurationException("access to bucket '" + bucket + "' is denied");
            }
            throw new SinkException("bucket '" + bucket + "' cannot be checked: HTTP "
                    + e.statusCode(), e);
        } catch (SdkClientException e) {
            throw new SinkException("S3 is unreachable while checking bucket '" + bucket + "': "
                    + e.getMessage(), e);
        }
    }

    private ConfigurationException missing() {
        return new ConfigurationException("bucket '" + bucket + "' does not exist");
    }
}
