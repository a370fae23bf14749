package org.phicourier.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.DecryptingInputStream;
import org.phicourier.crypto.internal.EnvelopeDecryption;
import org.phicourier.crypto.internal.MetadataKeys;
import org.phicourier.s3.internal.S3StreamWriter;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads back objects that an {@link S3Sink} wrote: checks the envelope, the key commitment and
 * the authentication tag, decrypts, decompresses, and yields the plaintext or the records.
 *
 * <p>No unauthenticated plaintext reaches the caller, however large the object: the reader
 * first streams the whole ciphertext through the cipher to verify its tag, releasing nothing, and
 * then fetches the same object again (pinned by its ETag) and decrypts it as the caller reads.
 * Memory stays flat at the cost of downloading the object twice.
 *
 * <p>For KMS-wrapped keys the encryption context is rebuilt from the bucket and key being read, so
 * an object that was copied or moved fails to decrypt. Instances are immutable and thread-safe;
 * the S3 client is owned by the caller.
 */
public final class S3ObjectReader {
    private final S3Client s3;
    private final Keyring keyring;

    private S3ObjectReader(Builder builder) {
        this.s3 = builder.s3;
        this.keyring = builder.keyring;
    }

    /**
     * Starts building a reader.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens an object's content: verified, decrypted and, for objects the sink wrote,
     * decompressed JSON Lines.
     *
     * @param bucket the bucket
     * @param key the object key
     * @return the plaintext; the caller closes it
     * @throws IntegrityException when the object is not encrypted or fails any check
     * @throws SinkException when S3 cannot be read
     */
    public InputStream openContent(String bucket, String key) {
        Map<String, String> metadata;
        String etag;
        EnvelopeDecryption decryption;
        try (ResponseInputStream<GetObjectResponse> first = get(bucket, key, Optional.empty())) {
            metadata = first.response().metadata();
            etag = first.response().eTag();
            decryption = EnvelopeDecryption.open(key, metadata, keyring,
                    expectedContext(bucket, key, metadata));
            DecryptingInputStream.verify(first, decryption.newCipher(), key);
        } catch (IOException e) {
            throw readFailure(key, e);
        }
        return decrypting(bucket, key, etag, decryption, metadata);
    }

    /**
     * Opens an object's records: each line of its JSON Lines content as a JSON object.
     *
     * @param bucket the bucket
     * @param key the object key
     * @return the records; the caller closes them
     * @throws IntegrityException when the object fails any check
     */
    public RecordReader readRecords(String bucket, String key) {
        return new RecordReader(key, openContent(bucket, key));
    }

    private InputStream decrypting(String bucket, String key, String etag,
            EnvelopeDecryption decryption, Map<String, String> metadata) {
        try {
            InputStream body = get(bucket, key, Optional.ofNullable(etag));
            InputStream plaintext = new DecryptingInputStream(body, decryption.newCipher(), key);
            decryption.destroy();
            boolean gzip = S3StreamWriter.JSONL_GZIP.equals(
                    metadata.get(S3StreamWriter.CONTENT_METADATA));
            return gzip ? new GZIPInputStream(plaintext, 64 * 1024) : plaintext;
        } catch (IOException e) {
            decryption.destroy();
            throw readFailure(key, e);
        }
    }

    private static Map<String, String> expectedContext(String bucket, String key,
            Map<String, String> metadata) {
        String stored = metadata.get(MetadataKeys.ENCRYPTION_CONTEXT_V3);
        if (stored == null) {
            return Map.of();
        }
        String stream = MetadataKeys.fromJson(stored)
                .map(context -> context.get(S3Sink.CONTEXT_STREAM))
                .orElse("");
        return Map.of(S3Sink.CONTEXT_BUCKET, bucket, S3Sink.CONTEXT_KEY, key,
                S3Sink.CONTEXT_STREAM, stream);
    }

    private ResponseInputStream<GetObjectResponse> get(String bucket, String key,
            Optional<String> etag) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key).ifMatch(etag.orElse(null)));
        } catch (NoSuchKeyException e) {
            throw new ConfigurationException("object '" + key + "' does not exist in bucket '"
                    + bucket + "'");
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new IntegrityException("object '" + key
                        + "' changed while it was being read");
            }
            throw new SinkException("object '" + key + "' cannot be read: HTTP "
                    + e.statusCode(), e);
        } catch (SdkClientException e) {
            throw new SinkException("S3 is unreachable while reading '" + key + "': "
                    + e.getMessage(), e);
        }
    }

    private static UncheckedIOException readFailure(String key, IOException e) {
        return new UncheckedIOException("object '" + key + "' could not be read", e);
    }

    @Override
    public String toString() {
        return "S3ObjectReader[keyring=" + keyring.keyId() + "]";
    }

    /** Builds an {@link S3ObjectReader}; mutable and not thread-safe. */
    public static final class Builder {
        private S3Client s3;
        private Keyring keyring;

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
         * Sets the keyring that unwraps data keys. Required.
         *
         * @param keyring the keyring the objects were written with
         * @return this builder
         */
        public Builder keyring(Keyring keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * Builds the reader.
         *
         * @return the reader
         * @throws ConfigurationException when the client or keyring is missing
         */
        public S3ObjectReader build() {
            if (s3 == null || keyring == null) {
                throw new ConfigurationException("an S3 object reader needs s3Client and keyring");
            }
            return new S3ObjectReader(this);
        }
    }
}
