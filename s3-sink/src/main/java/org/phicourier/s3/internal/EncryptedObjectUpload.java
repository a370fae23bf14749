package org.phicourier.s3.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.phicourier.SinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Receives the ciphertext of one object and stores it: with a single PUT when it fits in one
 * part, otherwise as a multipart upload whose parts go up in the background while later bytes are
 * still being produced. Each part's bytes are kept until its upload has succeeded, so the SDK's
 * retries resend the same ciphertext and nothing is ever encrypted twice. Not thread-safe.
 */
final class EncryptedObjectUpload extends OutputStream {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedObjectUpload.class);

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final Map<String, String> metadata;
    private final PartBuffers buffers;
    private final ExecutorService uploads;
    private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
    private byte[] current;
    private int filled;
    private long bytesWritten;
    private String uploadId;
    private List<CompletedPart> uploadedParts;

    EncryptedObjectUpload(S3Client s3, String bucket, String key, Map<String, String> metadata,
            PartBuffers buffers, ExecutorService uploads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.metadata = metadata;
        this.buffers = buffers;
        this.uploads = uploads;
        this.current = takeBuffer();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, current.length - filled);
            System.arraycopy(bytes, offset, current, filled, n);
            filled += n;
            offset += n;
            length -= n;
            bytesWritten += n;
            if (filled == current.length) {
                sendFullPart();
            }
        }
    }

    /** Returns the ciphertext bytes received so far. */
    long bytesWritten() {
        return bytesWritten;
    }

    String key() {
        return key;
    }

    private void sendFullPart() {
        rethrowFailedPart();
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).metadata(metadata)
                    .contentType("application/octet-stream")).uploadId();
            LOG.debug("object '{}': multipart upload started", key);
        }
        byte[] part = current;
        int length = filled;
        int number = parts.size() + 1;
        parts.add(CompletableFuture.supplyAsync(() -> uploadPart(part, length, number), uploads));
        current = takeBuffer();
        filled = 0;
    }

    private CompletedPart uploadPart(byte[] part, int length, int number) {
        try {
            String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .partNumber(number),
                    body(part, length))
                    .eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        } finally {
            buffers.release(part);
        }
    }

    /** A body that re-reads the same bytes on every retry, without copying them. */
    private static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length),
                length, "application/octet-stream");
    }

    private byte[] takeBuffer() {
        try {
            return buffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("object '" + key + "': interrupted while uploading");
        }
    }

    private void rethrowFailedPart() {
        for (CompletableFuture<CompletedPart> part : parts) {
            if (part.isCompletedExceptionally()) {
                join(part);
            }
        }
    }

    /**
     * Stores the last bytes and completes the object.
     *
     * @param onlyIfAbsent true to complete only if no object of that key exists (S3's
     *     {@code If-None-Match: *}); the upload then stays ready for another attempt
     * @return the stored size in bytes
     * @throws KeyTakenException when {@code onlyIfAbsent} is set and the key exists
     */
    long complete(boolean onlyIfAbsent) {
        try {
            if (uploadId == null) {
                putWhole(onlyIfAbsent);
            } else {
                completeMultipart(onlyIfAbsent);
            }
            LOG.debug("object '{}' completed: {} bytes", key, bytesWritten);
            releaseCurrent();
            return bytesWritten;
        } catch (S3Exception e) {
            if (onlyIfAbsent && (e.statusCode() == 412 || e.statusCode() == 409)) {
                throw new KeyTakenException(key);
            }
            releaseCurrent();
            throw new SinkException("object '" + key + "' could not be stored: HTTP "
                    + e.statusCode() + " " + errorCode(e), e);
        } catch (SdkException e) {
            releaseCurrent();
            throw new SinkException("object '" + key + "' could not be stored: "
                    + e.getMessage(), e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private void putWhole(boolean onlyIfAbsent) {
        s3.putObject(r -> r.bucket(bucket).key(key).metadata(metadata)
                .contentType("application/octet-stream").ifNoneMatch(onlyIfAbsent ? "*" : null),
                body(current, filled));
    }

    private void completeMultipart(boolean onlyIfAbsent) {
        if (uploadedParts == null) {
            if (filled > 0) {
                sendFullPartOfLength();
            }
            List<CompletedPart> done = new ArrayList<>();
            for (CompletableFuture<CompletedPart> part : parts) {
                done.add(join(part));
            }
            uploadedParts = done;
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(uploadedParts))
                .ifNoneMatch(onlyIfAbsent ? "*" : null));
    }

    private void sendFullPartOfLength() {
        byte[] part = current;
        int length = filled;
        int number = parts.size() + 1;
        parts.add(CompletableFuture.supplyAsync(() -> uploadPart(part, length, number), uploads));
        current = null;
        filled = 0;
    }

    private CompletedPart join(CompletableFuture<CompletedPart> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new SinkException("object '" + key + "': a part upload failed: "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("object '" + key + "': interrupted while uploading");
        }
    }

    /** Cancels the upload so that no part of the object stays stored. */
    void abort() {
        for (CompletableFuture<CompletedPart> part : parts) {
            try {
                part.get();
            } catch (ExecutionException | RuntimeException e) {
                LOG.debug("object '{}': a part had failed before the abort", key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        releaseCurrent();
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                LOG.warn("object '{}': aborting the multipart upload failed; a bucket lifecycle"
                        + " rule for incomplete uploads will remove its parts", key);
            }
        }
    }

    /** Frees the buffer of an object that is stored already. */
    void release() {
        releaseCurrent();
    }

    private void releaseCurrent() {
        if (current != null) {
            buffers.release(current);
            current = null;
        }
    }
}
