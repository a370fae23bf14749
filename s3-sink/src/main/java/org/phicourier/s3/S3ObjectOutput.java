package org.phicourier.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import org.phicourier.SinkException;
import org.phicourier.crypto.internal.EncryptingOutputStream;
import org.phicourier.s3.internal.EncryptedObjectUpload;

/**
 * The plaintext side of one encrypted object being uploaded by an {@link S3ObjectWriter}: bytes
 * written here are encrypted and sent in multipart parts as they come.
 *
 * <p>Call {@link #complete()} to finish the object. {@link #close()} without a successful
 * {@code complete()} aborts the upload, so an exception inside a try-with-resources block never
 * leaves a partial object. Not thread-safe.
 */
public final class S3ObjectOutput extends OutputStream {
    private final EncryptingOutputStream encryption;
    private final EncryptedObjectUpload upload;
    private final ExecutorService uploads;
    private boolean done;

    S3ObjectOutput(EncryptingOutputStream encryption, EncryptedObjectUpload upload,
            ExecutorService uploads) {
        this.encryption = encryption;
        this.upload = upload;
        this.uploads = uploads;
    }

    @Override
    public void write(int b) throws IOException {
        encryption.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        encryption.write(bytes, offset, length);
    }

    /**
     * Writes the tag, uploads the last part, stores the instruction file if one is used, and
     * completes the object.
     *
     * @return the stored (ciphertext) size in bytes
     * @throws SinkException when S3 refuses; the upload is then aborted
     */
    public long complete() {
        if (done) {
            throw new IllegalStateException("object '" + upload.key() + "' is already finished");
        }
        try {
            encryption.finish();
            long stored = upload.complete();
            done = true;
            return stored;
        } catch (IOException e) {
            throw new SinkException("object '" + upload.key() + "' could not be finished", e);
        } finally {
            if (!done) {
                abort();
            }
            uploads.shutdown();
        }
    }

    /** Cancels the object: nothing of it stays stored. Does nothing once completed. */
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        upload.abort();
        uploads.shutdownNow();
    }

    /**
     * Returns the plaintext bytes written so far.
     *
     * @return the count
     */
    public long plaintextBytes() {
        return encryption.plaintextBytes();
    }

    /** Aborts the object unless {@link #complete()} succeeded. */
    @Override
    public void close() {
        abort();
    }

    @Override
    public String toString() {
        return "S3ObjectOutput[" + upload.key() + "]";
    }
}
