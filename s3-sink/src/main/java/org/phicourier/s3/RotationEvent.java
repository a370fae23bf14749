package org.phicourier.s3;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link KeyRotation} did to one object: a structured audit record that names the object
 * and the master key ids, never key material or content.
 *
 * @param outcome what happened
 * @param bucket the bucket
 * @param objectKey the object key
 * @param fromKeyId the id of the master key the data key was wrapped under before
 * @param toKeyId the id of the master key it is wrapped under after (or would be, in a dry run)
 * @param detail why, for skipped and failed objects; what changed, otherwise
 * @param at when
 */
public record RotationEvent(Outcome outcome, String bucket, String objectKey, String fromKeyId,
        String toKeyId, String detail, Instant at) {
    /** The outcomes of re-wrapping one object. */
    public enum Outcome {
        /** The data key was re-wrapped and the new envelope stored and checked. */
        REWRAPPED,
        /** Dry run: the data key would be re-wrapped; nothing was written. */
        WOULD_REWRAP,
        /** The data key is already wrapped under the new master key; nothing to do. */
        ALREADY_CURRENT,
        /** The object could not be re-wrapped; it is unchanged. */
        FAILED
    }

    /**
     * Creates an event.
     *
     * @param outcome what happened
     * @param bucket the bucket
     * @param objectKey the object key
     * @param fromKeyId the old master key id
     * @param toKeyId the new master key id
     * @param detail why or what changed
     * @param at when
     */
    public RotationEvent {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(objectKey, "objectKey");
        Objects.requireNonNull(fromKeyId, "fromKeyId");
        Objects.requireNonNull(toKeyId, "toKeyId");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
