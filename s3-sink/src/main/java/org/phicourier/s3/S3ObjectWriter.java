package org.phicourier.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.phicourier.ConfigurationException;
import org.phicourier.SinkException;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.EncryptingOutputStream;
import org.phicourier.crypto.internal.EnvelopeEncryption;
import org.phicourier.crypto.internal.EnvelopeLayout;
import org.phicourier.s3.internal.Checksums;
import org.phicourier.s3.internal.EncryptedObjectUpload;
import org.phicourier.s3.internal.PartBuffers;
import org.phicourier.s3.internal.Transport;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Encrypts arbitrary bytes into one S3 object in the Amazon S3 Encryption Client format, for
 * content that does not come from a pipeline (files, exports, bytes another tool produced).
 * {@link S3ObjectReader} and the S3 Encryption Client read the objects back.
 *
 * <p>Bytes are encrypted with one AES-GCM stream as they are written and uploaded in multipart
 * parts of {@link Builder#partSize} bytes; each part's ciphertext is kept until S3 has it, so a
 * retry resends the same bytes and nothing is encrypted twice. Memory stays near
 * {@code (uploadConcurrency + 1) * partSize} per open object, whatever its size. Keep objects
 * below 64 GiB, the limit of one data key and IV.
 *
 * <p>With a {@link KmsKeyring} the default encryption context is {@value S3Sink#CONTEXT_BUCKET}
 * and {@value S3Sink#CONTEXT_KEY} naming the object, which {@link S3ObjectReader} rebuilds by
 * itself. Instances are immutable and thread-safe; the S3 client is owned by the caller.
 */
public final class S3ObjectWriter {
    private final S3Client s3;
    private final Keyring keyring;
    private final EnvelopeVersion formatVersion;
    private final boolean instructionFile;
    private final int partSize;
    private final int uploadConcurrency;

    private S3ObjectWriter(Builder builder) {
        this.s3 = builder.s3;
        this.keyring = builder.keyring;
        this.formatVersion = builder.formatVersion;
        this.instructionFile = builder.instructionFile;
        this.partSize = builder.partSize;
        this.uploadConcurrency = builder.uploadConcurrency;
    }

    /**
     * Starts building a writer.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens an object under the default encryption context (bucket and key).
     *
     * @param bucket the bucket
     * @param key the object key
     * @return the stream to write the plaintext to; call {@link S3ObjectOutput#complete()}
     */
    public S3ObjectOutput openObject(String bucket, String key) {
        return openObject(bucket, key, Map.of(S3Sink.CONTEXT_BUCKET, bucket,
                S3Sink.CONTEXT_KEY, key));
    }

    /**
     * Opens an object under an encryption context of the caller's choice, which KMS binds the
     * data key to; readers must pass exactly the same context.
     *
     * @param bucket the bucket
     * @param key the object key
     * @param encryptionContext ASCII entries without PHI (stored in plaintext); ignored by local
     *     keyrings
     * @return the stream to write the plaintext to; call {@link S3ObjectOutput#complete()}
     */
    public S3ObjectOutput openObject(String bucket, String key,
            Map<String, String> encryptionContext) {
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(keyring,
                Map.copyOf(encryptionContext), formatVersion);
        // The part size lets readers check the composite checksum of a multipart object.
        EnvelopeLayout.Placement placement = EnvelopeLayout.place(encryption.metadata(),
                Map.of(Checksums.PART_SIZE_METADATA, Integer.toString(partSize)),
                encryption.dataKey(), instructionFile);
        PartBuffers buffers = new PartBuffers(partSize, uploadConcurrency + 1);
        ExecutorService uploads = Executors.newFixedThreadPool(uploadConcurrency, runnable -> {
            Thread thread = new Thread(runnable, "phi-courier-object-upload");
            thread.setDaemon(true);
            return thread;
        });
        EncryptedObjectUpload upload = new EncryptedObjectUpload(s3, bucket, key, placement,
                buffers, uploads);
        return new S3ObjectOutput(new EncryptingOutputStream(upload, encryption.cipher()),
                upload, uploads);
    }

    /**
     * Encrypts a whole stream into an object under the default encryption context.
     *
     * @param bucket the bucket
     * @param key the object key
     * @param content the plaintext; read to its end, not closed
     * @return the stored (ciphertext) size in bytes
     * @throws SinkException when S3 refuses; nothing stays stored
     * @throws UncheckedIOException when reading the content fails; nothing stays stored
     */
    public long putObject(String bucket, String key, InputStream content) {
        try (S3ObjectOutput out = openObject(bucket, key)) {
            content.transferTo(out);
            return out.complete();
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + key + "': the content could not be read",
                    e);
        }
    }

    @Override
    public String toString() {
        return "S3ObjectWriter[keyring=" + keyring.keyId() + ", " + formatVersion + "]";
    }

    /** Builds an {@link S3ObjectWriter}; mutable and not thread-safe. */
    public static final class Builder {
        private static final int MIB = 1024 * 1024;

        private S3Client s3;
        private Keyring keyring;
        private EnvelopeVersion formatVersion = EnvelopeVersion.V3;
        private boolean instructionFile;
        private int partSize = 8 * MIB;
        private int uploadConcurrency = 2;
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
         * Sets the keyring that wraps each object's data key. Required.
         *
         * @param keyring the keyring
         * @return this builder
         */
        public Builder keyring(Keyring keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * Sets the envelope format; {@link EnvelopeVersion#V3} by default.
         *
         * @param version the format
         * @return this builder
         */
        public Builder formatVersion(EnvelopeVersion version) {
            this.formatVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Puts every envelope in an instruction file; off by default, when only envelopes that
         * would pass S3's 2 KB user-metadata limit go there.
         *
         * @param always true to always use an instruction file
         * @return this builder
         */
        public Builder instructionFile(boolean always) {
            this.instructionFile = always;
            return this;
        }

        /**
         * Sets the multipart part size; 8 MiB by default.
         *
         * @param bytes at least 5 MiB (S3's minimum) and a multiple of 16
         * @return this builder
         */
        public Builder partSize(int bytes) {
            this.partSize = bytes;
            return this;
        }

        /**
         * Sets how many parts of one object may upload at once; 2 by default.
         *
         * @param parts at least 1
         * @return this builder
         */
        public Builder uploadConcurrency(int parts) {
            this.uploadConcurrency = parts;
            return this;
        }

        /**
         * Allows a plain-HTTP S3 endpoint, such as a local emulator; off by default.
         *
         * @param allow true to allow plain HTTP
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Builds the writer.
         *
         * @return the writer
         * @throws ConfigurationException naming every setting that is missing or out of range,
         *     or when the endpoint is plain HTTP without {@link #allowPlainHttp}
         */
        public S3ObjectWriter build() {
            if (s3 == null || keyring == null) {
                throw new ConfigurationException("an S3 object writer needs s3Client and"
                        + " keyring");
            }
            if (partSize < 5 * MIB || partSize % 16 != 0 || uploadConcurrency < 1) {
                throw new ConfigurationException("S3 object writer: partSize must be at least"
                        + " 5 MiB and a multiple of 16, uploadConcurrency at least 1");
            }
            Transport.check(s3, allowPlainHttp, "S3 object writer");
            return new S3ObjectWriter(this);
        }
    }
}
