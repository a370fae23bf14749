package org.phicourier.s3.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import javax.crypto.Cipher;
import org.phicourier.SinkException;
import org.phicourier.crypto.internal.DirectCiphertextSink;
import org.phicourier.crypto.internal.EnvelopeLayout;
import org.phicourier.crypto.internal.MetadataKeys;
import org.phicourier.s3.IntegrityChecksum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Receives the ciphertext of one object and stores it: with a single PUT when it fits in one
 * part, otherwise as a multipart upload whose parts go up in the background while later bytes are
 * still being produced. Each part's bytes are kept until its upload has succeeded, so the SDK's
 * retries resend the same ciphertext and nothing is ever encrypted twice.
 *
 * <p>When the envelope goes into an instruction file, that file is stored just before the object
 * is completed, and deleted again if completing fails, so that no object is left without its
 * envelope.
 *
 * <p>Completion can be made conditional on the key being free (for runs with state): the
 * instruction file and the object are then stored with {@code If-None-Match: *}, the instruction
 * file carries the object's ownership entries, and a refusal leaves everything ready for another
 * attempt (see {@link KeyTakenException}). Not thread-safe.
 */
public final class EncryptedObjectUpload extends OutputStream implements DirectCiphertextSink {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedObjectUpload.class);
    /** Room kept free in a part for what a cipher may hold back and release at once. */
    private static final int SLACK = 64;
    /** S3's limit on the parts of one multipart upload. */
    public static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final Map<String, String> metadata;
    private final Optional<Map<String, String>> instructionFile;
    private final Map<String, String> ownership;
    private final PartBuffers buffers;
    private final ExecutorService uploads;
    private final UploadOptions options;
    private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
    private final List<byte[]> partChecksums = new ArrayList<>();
    private byte[] current;
    private int filled;
    private long bytesWritten;
    private String uploadId;
    private List<CompletedPart> uploadedParts;
    private boolean instructionFileStored;
    private Optional<String> instructionFileEtag = Optional.empty();
    private String checksum;

    /**
     * Starts an object; nothing is sent until the first part is full or the object completes.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the object key
     * @param placement the object's user metadata and, when used, its instruction file
     * @param buffers the part buffers, shared by the objects of one writer
     * @param uploads runs part uploads
     */
    public EncryptedObjectUpload(S3Client s3, String bucket, String key,
            EnvelopeLayout.Placement placement, PartBuffers buffers, ExecutorService uploads) {
        this(s3, bucket, key, placement, Map.of(), buffers, uploads);
    }

    /**
     * Starts an object whose instruction file, if any, carries ownership entries too.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the object key
     * @param placement the object's user metadata and, when used, its instruction file
     * @param ownership entries naming the run that writes the object, also on the object
     * @param buffers the part buffers, shared by the objects of one writer
     * @param uploads runs part uploads
     */
    public EncryptedObjectUpload(S3Client s3, String bucket, String key,
            EnvelopeLayout.Placement placement, Map<String, String> ownership,
            PartBuffers buffers, ExecutorService uploads) {
        this(s3, bucket, key, placement, ownership, buffers, uploads, UploadOptions.standard());
    }

    /**
     * Starts an object with retry, checksum, server-side encryption and tag options.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the object key
     * @param placement the object's user metadata and, when used, its instruction file
     * @param ownership entries naming the run that writes the object, also on the object
     * @param buffers the part buffers, shared by the objects of one writer
     * @param uploads runs part uploads
     * @param options retries, checksum, SSE-KMS and tags
     */
    public EncryptedObjectUpload(S3Client s3, String bucket, String key,
            EnvelopeLayout.Placement placement, Map<String, String> ownership,
            PartBuffers buffers, ExecutorService uploads, UploadOptions options) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.metadata = placement.objectMetadata();
        this.instructionFile = placement.instructionFile();
        this.ownership = Map.copyOf(ownership);
        this.buffers = buffers;
        this.uploads = uploads;
        this.options = options;
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

    /**
     * Encrypts straight into the current part buffer; only the last few bytes of each part pass
     * through a small scratch array, so that every part is filled exactly.
     */
    @Override
    public void encrypt(Cipher cipher, byte[] plaintext, int offset, int length)
            throws IOException, GeneralSecurityException {
        byte[] scratch = new byte[SLACK];
        while (length > 0) {
            int room = current.length - filled;
            if (room < 2 * SLACK) {
                int n = Math.min(length, 16);
                write(scratch, 0, cipher.update(plaintext, offset, n, scratch, 0));
                offset += n;
                length -= n;
                continue;
            }
            int n = Math.min(length, room - SLACK);
            int produced = cipher.update(plaintext, offset, n, current, filled);
            filled += produced;
            bytesWritten += produced;
            offset += n;
            length -= n;
            if (filled == current.length) {
                sendFullPart();
            }
        }
    }

    /**
     * Returns the ciphertext bytes received so far.
     *
     * @return the count
     */
    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Tells whether the object's envelope goes into an instruction file.
     *
     * @return true when it does
     */
    public boolean usesInstructionFile() {
        return instructionFile.isPresent();
    }

    /**
     * Returns the object key.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    private void sendFullPart() {
        rethrowFailedPart();
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(this::describeMultipart).uploadId();
            LOG.debug("object '{}': multipart upload started", key);
        }
        submitPart();
        current = takeBuffer();
    }

    /** Hands the current buffer to an upload thread; S3 allows at most 10,000 parts. */
    private void submitPart() {
        byte[] part = current;
        int length = filled;
        int number = parts.size() + 1;
        if (number > MAX_PARTS) {
            throw new SinkException("bucket '" + bucket + "', object '" + key + "': more than "
                    + MAX_PARTS + " parts; raise partSize or lower maxBytesPerObject");
        }
        byte[] checksum = Checksums.of(options.checksum(), part, length);
        partChecksums.add(checksum);
        parts.add(CompletableFuture.supplyAsync(
                () -> uploadPart(part, length, number, checksum), uploads));
        current = null;
        filled = 0;
    }

    private CompletedPart uploadPart(byte[] part, int length, int number, byte[] checksum) {
        try {
            String value = Checksums.base64(checksum);
            String etag = options.retry().run(() -> s3.uploadPart(
                    r -> describePart(r, number, value), body(part, length)).eTag(),
                    () -> "bucket '" + bucket + "', object '" + key + "', part " + number);
            CompletedPart.Builder done = CompletedPart.builder().partNumber(number).eTag(etag);
            return (options.checksum() == IntegrityChecksum.CRC32C ? done.checksumCRC32C(value)
                    : done.checksumSHA256(value)).build();
        } finally {
            buffers.release(part);
        }
    }

    private void describePart(UploadPartRequest.Builder r, int number, String checksum) {
        r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .checksumAlgorithm(Checksums.sdk(options.checksum()))
                .overrideConfiguration(o -> o.addPlugin(PartRetry.NO_SDK_RETRIES));
        if (options.checksum() == IntegrityChecksum.CRC32C) {
            r.checksumCRC32C(checksum);
        } else {
            r.checksumSHA256(checksum);
        }
    }

    private void describeMultipart(CreateMultipartUploadRequest.Builder r) {
        r.bucket(bucket).key(key).metadata(metadata).contentType("application/octet-stream")
                .checksumAlgorithm(Checksums.sdk(options.checksum()))
                .tagging(tagging().orElse(null));
        options.sseKmsKeyId().ifPresent(id -> r.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(id).bucketKeyEnabled(options.bucketKey()));
    }

    private void describePut(PutObjectRequest.Builder r, boolean onlyIfAbsent, String sum) {
        r.bucket(bucket).key(key).metadata(metadata).contentType("application/octet-stream")
                .ifNoneMatch(onlyIfAbsent ? "*" : null).tagging(tagging().orElse(null))
                .checksumAlgorithm(Checksums.sdk(options.checksum()));
        if (options.checksum() == IntegrityChecksum.CRC32C) {
            r.checksumCRC32C(sum);
        } else {
            r.checksumSHA256(sum);
        }
        options.sseKmsKeyId().ifPresent(id -> r.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(id).bucketKeyEnabled(options.bucketKey()));
    }

    private Optional<String> tagging() {
        return ObjectTags.query(options.tags());
    }

    /**
     * Returns the object's S3 checksum over its ciphertext, as {@code <ALGORITHM>:<base64>} or,
     * for a multipart object, {@code <ALGORITHM>:<base64>-<n>}; known once completing began.
     *
     * @return the checksum
     * @throws IllegalStateException before {@link #complete(boolean)} was called
     */
    public String checksum() {
        if (checksum == null) {
            throw new IllegalStateException("object '" + key + "' is not stored yet");
        }
        return checksum;
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
     * Stores the last bytes and completes the object unconditionally.
     *
     * @return the stored size in bytes
     * @throws SinkException when S3 refuses the object
     */
    public long complete() {
        return complete(false);
    }

    /**
     * Stores the last bytes and completes the object.
     *
     * @param onlyIfAbsent true to store the instruction file and the object only if their keys
     *     are free ({@code If-None-Match: *}); a refusal then keeps the upload ready for another
     *     attempt
     * @return the stored size in bytes
     * @throws KeyTakenException when {@code onlyIfAbsent} is set and a key is taken
     * @throws SinkException when S3 refuses the object otherwise
     */
    public long complete(boolean onlyIfAbsent) {
        try {
            putInstructionFile(onlyIfAbsent);
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
            throw failed(new SinkException("object '" + key + "' could not be stored: HTTP "
                    + e.statusCode(), e));
        } catch (SdkException e) {
            throw failed(new SinkException("object '" + key + "' could not be stored: "
                    + e.getClass().getSimpleName(), e));
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private RuntimeException failed(RuntimeException e) {
        deleteInstructionFile();
        releaseCurrent();
        return e;
    }

    private void putInstructionFile(boolean onlyIfAbsent) {
        if (instructionFile.isEmpty() || instructionFileStored) {
            return;
        }
        byte[] body = EnvelopeLayout.instructionFileBody(instructionFile.get());
        Map<String, String> fileMetadata = new HashMap<>(ownership);
        fileMetadata.put(MetadataKeys.INSTRUCTION_FILE_MARKER, "");
        String etag = s3.putObject(r -> r.bucket(bucket)
                .key(EnvelopeLayout.instructionFileKey(key)).metadata(fileMetadata)
                .contentType("application/json").ifNoneMatch(onlyIfAbsent ? "*" : null),
                RequestBody.fromBytes(body)).eTag();
        instructionFileStored = true;
        instructionFileEtag = onlyIfAbsent ? Optional.ofNullable(etag) : Optional.empty();
    }

    /** Removes this upload's own instruction file: on condition it is unchanged, if known. */
    private void deleteInstructionFile() {
        if (!instructionFileStored) {
            return;
        }
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(EnvelopeLayout.instructionFileKey(key))
                    .ifMatch(instructionFileEtag.orElse(null)));
            instructionFileStored = false;
        } catch (SdkException e) {
            LOG.warn("object '{}': its instruction file could not be removed after a failure",
                    key);
        }
    }

    private void putWhole(boolean onlyIfAbsent) {
        String sum = Checksums.base64(Checksums.of(options.checksum(), current, filled));
        // Known before the request: a completion that S3 did but reported as failed is ours.
        checksum = Checksums.label(options.checksum(), sum);
        s3.putObject(r -> describePut(r, onlyIfAbsent, sum), body(current, filled));
    }

    private void completeMultipart(boolean onlyIfAbsent) {
        if (uploadedParts == null) {
            if (filled > 0) {
                submitPart();
            }
            List<CompletedPart> done = new ArrayList<>();
            for (CompletableFuture<CompletedPart> part : parts) {
                done.add(join(part));
            }
            uploadedParts = done;
        }
        checksum = Checksums.label(options.checksum(),
                Checksums.composite(options.checksum(), partChecksums));
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(uploadedParts))
                .ifNoneMatch(onlyIfAbsent ? "*" : null));
    }

    private CompletedPart join(CompletableFuture<CompletedPart> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SinkException failure) {
                throw new SinkException(failure.getMessage(), failure);
            }
            throw new SinkException("object '" + key + "': a part upload failed: "
                    + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("object '" + key + "': interrupted while uploading");
        }
    }

    /** Frees the buffer of an object that is stored already. */
    void release() {
        releaseCurrent();
    }

    /**
     * Cancels the upload so that no part of the object stays stored, and removes the object's
     * instruction file if this upload stored it and it was never completed.
     */
    public void abort() {
        deleteInstructionFile();
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

    private void releaseCurrent() {
        if (current != null) {
            buffers.release(current);
            current = null;
        }
    }
}
