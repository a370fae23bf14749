package org.phicourier.s3.internal;

import java.util.Map;
import java.util.Optional;
import org.phicourier.SinkException;
import org.phicourier.crypto.internal.EnvelopeLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Settles what happens when a run with state finds its object's key taken. Each object a run
 * with state writes carries the run's epoch and a writer id in its metadata, and is completed
 * only if its key is free. When the key is taken, the object there is inspected: if this writer
 * stored it (a retried request), it stands; if a run of an older epoch stored it and never
 * committed it, it is deleted on condition that it is still that object (its ETag) and the
 * completion is tried again; if a run of the same or a newer epoch stored it, this run is stale
 * and stops. An object's instruction file, which carries the same entries, is settled the same
 * way. An older writer therefore never replaces a newer object or its envelope.
 */
final class ObjectConflicts {
    /** The user-metadata entry holding the epoch of the run that wrote an object. */
    static final String EPOCH = "phi-courier-epoch";
    /** The user-metadata entry holding the id of the writer that stored an object. */
    static final String WRITER = "phi-courier-writer";
    /** The user-metadata entry holding the run that wrote an object. */
    static final String RUN = "phi-courier-run";
    private static final Logger LOG = LoggerFactory.getLogger(ObjectConflicts.class);

    /** What to do after inspecting a taken key. */
    enum Outcome {
        /** This writer's own object is there: done. */
        OURS,
        /** The key is free again: try to complete once more. */
        RETRY
    }

    private final S3Client s3;
    private final String bucket;

    ObjectConflicts(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * Inspects the object under a taken key.
     *
     * @throws SinkException when a run of the same or a newer epoch wrote it
     */
    Outcome settle(String key, long epoch, String writer) {
        settleInstructionFile(EnvelopeLayout.instructionFileKey(key), epoch, writer);
        Optional<HeadObjectResponse> existing = head(key);
        if (existing.isEmpty()) {
            return Outcome.RETRY;
        }
        Map<String, String> metadata = existing.get().metadata();
        if (writer.equals(metadata.get(WRITER))) {
            return Outcome.OURS;
        }
        long theirs = requireOlder(key, metadata, epoch);
        deleteIfUnchanged(key, existing.get().eTag());
        LOG.debug("object '{}': removed the uncommitted object of epoch {}", key, theirs);
        return Outcome.RETRY;
    }

    private void settleInstructionFile(String file, long epoch, String writer) {
        Optional<HeadObjectResponse> existing = head(file);
        if (existing.isEmpty() || writer.equals(existing.get().metadata().get(WRITER))) {
            return;
        }
        requireOlder(file, existing.get().metadata(), epoch);
        deleteIfUnchanged(file, existing.get().eTag());
    }

    private static long requireOlder(String key, Map<String, String> metadata, long epoch) {
        long theirs = epochOf(metadata);
        if (theirs >= epoch) {
            throw new SinkException("object '" + key + "' was written by run "
                    + metadata.getOrDefault(RUN, "?") + " at epoch " + theirs + "; this run"
                    + " (epoch " + epoch + ") is stale and stops without replacing it");
        }
        return theirs;
    }

    /** Returns the epoch an object was written at; 0 for objects of runs without state. */
    static long epochOf(Map<String, String> metadata) {
        try {
            return Long.parseLong(metadata.getOrDefault(EPOCH, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new SinkException("object '" + key + "' cannot be inspected: HTTP "
                    + e.statusCode(), e);
        } catch (SdkException e) {
            throw new SinkException("object '" + key + "' cannot be inspected: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Deletes an object only if it is still the one with the given ETag.
     *
     * @return true when deleted, false when it had changed or vanished
     */
    boolean deleteIfUnchanged(String key, String etag) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key).ifMatch(etag));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404 || e.statusCode() == 409) {
                return false;
            }
            throw new SinkException("object '" + key + "' cannot be removed: HTTP "
                    + e.statusCode(), e);
        } catch (SdkException e) {
            throw new SinkException("object '" + key + "' cannot be removed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ObjectConflicts[" + bucket + "]";
    }
}
