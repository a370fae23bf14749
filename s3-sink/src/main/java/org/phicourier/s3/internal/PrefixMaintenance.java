package org.phicourier.s3.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.RunReport;
import org.phicourier.SinkException;
import org.phicourier.state.RunManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a pipeline with state asks of the S3 sink besides writing: aborting the uploads that
 * earlier runs abandoned under the prefix, retiring generations, removing objects that were never
 * committed, and storing manifests.
 */
public final class PrefixMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(PrefixMaintenance.class);
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final ObjectNames names;

    /**
     * Creates the maintenance of one sink's prefix.
     *
     * @param s3 the client
     * @param settings the sink's bucket and prefix
     */
    public PrefixMaintenance(S3Client s3, ObjectSettings settings) {
        this.s3 = s3;
        this.bucket = settings.bucket();
        this.names = new ObjectNames(settings.prefix(), settings.keyTemplate());
    }

    /**
     * Aborts every unfinished upload of a data object under the prefix.
     *
     * @return how many were aborted
     */
    public int abortAbandonedUploads() {
        int aborted = 0;
        String keyMarker = null;
        String uploadMarker = null;
        do {
            ListMultipartUploadsResponse page = listUploads(keyMarker, uploadMarker);
            for (MultipartUpload upload : page.uploads()) {
                if (names.isObject(upload.key())) {
                    abort(upload);
                    aborted++;
                }
            }
            keyMarker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextKeyMarker() : null;
            uploadMarker = page.nextUploadIdMarker();
        } while (keyMarker != null);
        return aborted;
    }

    private ListMultipartUploadsResponse listUploads(String keyMarker, String uploadMarker) {
        try {
            return s3.listMultipartUploads(r -> r.bucket(bucket).prefix(names.prefix())
                    .keyMarker(keyMarker).uploadIdMarker(uploadMarker));
        } catch (SdkException e) {
            throw failure("listing unfinished uploads under '" + names.prefix() + "'", e);
        }
    }

    private void abort(MultipartUpload upload) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key())
                    .uploadId(upload.uploadId()));
            LOG.debug("object '{}': abandoned upload aborted", upload.key());
        } catch (SdkException e) {
            throw failure("aborting the abandoned upload of '" + upload.key() + "'", e);
        }
    }

    /**
     * Removes every object of a generation of a stream.
     *
     * @return how many were removed
     */
    public int retireGeneration(String stream, long generation) {
        List<String> keys = list(names.generation(stream, generation));
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            delete(keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)));
        }
        return keys.size();
    }

    private void delete(List<String> keys) {
        List<ObjectIdentifier> ids = keys.stream()
                .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
        DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids)));
        } catch (SdkException e) {
            throw failure("removing " + keys.size() + " objects", e);
        }
        if (!response.errors().isEmpty()) {
            throw new SinkException("removing objects failed for '"
                    + response.errors().get(0).key() + "' and " + (response.errors().size() - 1)
                    + " more: " + response.errors().get(0).code());
        }
    }

    /**
     * Removes the objects of a generation, from a sequence number on, that runs of an older
     * epoch wrote; each only if it is still the object inspected.
     *
     * @return how many were removed
     */
    public int discardUncommitted(String stream, long generation, long fromSequence,
            long epoch) {
        ObjectConflicts conflicts = new ObjectConflicts(s3, bucket);
        int removed = 0;
        for (String key : list(names.generation(stream, generation))) {
            Optional<Long> sequence = names.sequence(key);
            if (sequence.isEmpty() || sequence.get() < fromSequence) {
                continue;
            }
            Optional<HeadObjectResponse> head = conflicts.head(key);
            if (head.isPresent() && ObjectConflicts.epochOf(head.get().metadata()) < epoch
                    && conflicts.deleteIfUnchanged(key, head.get().eTag())) {
                removed++;
            }
        }
        return removed;
    }

    /** Stores a run's manifest as JSON, replacing an earlier one of the same run. */
    public void publish(RunManifest manifest) {
        String key = names.manifest(manifest.epoch(), manifest.runId());
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromString(manifest.toJson(), StandardCharsets.UTF_8));
            LOG.debug("manifest '{}' stored: {} objects", key, manifest.objects().size());
        } catch (SdkException e) {
            throw failure("storing the manifest '" + key + "'", e);
        }
    }

    /** Stores a completed run's report as plain JSON: it holds counts, names and keys only. */
    public void publishReport(RunReport report) {
        String key = names.report(report.runId());
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromString(report.toJson(), StandardCharsets.UTF_8));
            LOG.debug("run report '{}' stored", key);
        } catch (SdkException e) {
            throw failure("storing the run report '" + key + "'", e);
        }
    }

    private List<String> list(String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
                    .forEach((S3Object object) -> keys.add(object.key()));
            return keys;
        } catch (SdkException e) {
            throw failure("listing '" + prefix + "'", e);
        }
    }

    private static SinkException failure(String what, SdkException e) {
        return new SinkException(what + " failed: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "PrefixMaintenance[" + bucket + "/" + names.prefix() + "]";
    }
}
