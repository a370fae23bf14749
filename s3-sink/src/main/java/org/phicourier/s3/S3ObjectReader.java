package org.phicourier.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.ContentCipher;
import org.phicourier.crypto.internal.ContentMetadata;
import org.phicourier.crypto.internal.DecryptingInputStream;
import org.phicourier.crypto.internal.EnvelopeDecryption;
import org.phicourier.crypto.internal.ReadPolicy;
import org.phicourier.model.Schema;
import org.phicourier.s3.internal.ChecksumCheck;
import org.phicourier.s3.internal.ContentEncoding;
import org.phicourier.s3.internal.ObjectNames;
import org.phicourier.s3.internal.StoredObjects;
import org.phicourier.s3.internal.Transport;
import org.phicourier.s3.spi.RecordFormat;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads encrypted objects back: those an {@link S3Sink} or {@link S3ObjectWriter} wrote, and
 * those the Amazon S3 Encryption Client wrote. It checks the envelope, the key commitment and
 * the authentication tag, decrypts, decompresses what the sink wrote (gzip, zstd or none, as the
 * object's {@code phi-courier-content} metadata says), and yields the plaintext, the records as
 * JSON objects, or typed rows.
 *
 * <p><b>No unauthenticated plaintext reaches the caller, however large the object</b>: the
 * reader first streams the whole ciphertext through the cipher to verify its tag, releasing
 * nothing, and then fetches the same object again (pinned by its ETag, so a replaced object
 * fails) and decrypts it as the caller reads, checking the tag once more at the end. Memory stays
 * flat (a few 64 KiB buffers) at the cost of downloading the object twice. Callers that accept
 * delayed authentication can read in one pass with {@link Builder#allowDelayedAuthentication}:
 * plaintext is then released before the tag is checked, and a failed check surfaces only as an
 * {@link IntegrityException} from the last read, after the caller has seen altered bytes.
 *
 * <p>By default only key-committing V3 objects are read; V2 objects need
 * {@link CommitmentPolicy#ALLOW_NON_COMMITTING}, and the unauthenticated legacy formats need
 * {@link Builder#allowLegacyContent} and {@link Builder#allowLegacyKeyWraps}. An object that is
 * not encrypted is an error, never passed through.
 *
 * <p>For KMS-wrapped keys the encryption context is rebuilt from the bucket and key being read
 * (plus the stream named in the stored context), so an object that was copied or moved fails to
 * decrypt; objects written with another context are read with
 * {@link #openContent(String, String, Map)}. Instances are immutable and thread-safe; the S3
 * client is owned by the caller.
 */
public final class S3ObjectReader {

    private final S3Client s3;
    private final Keyring keyring;
    private final ReadPolicy policy;
    private final boolean delayedAuthentication;
    private final boolean instructionFiles;
    private final List<RecordFormat> formats;

    private S3ObjectReader(Builder builder) {
        this.s3 = builder.s3;
        this.keyring = builder.keyring;
        this.policy = new ReadPolicy(builder.commitmentPolicy, builder.allowLegacyContent,
                builder.allowLegacyKeyWraps);
        this.delayedAuthentication = builder.allowDelayedAuthentication;
        this.instructionFiles = builder.instructionFiles;
        this.formats = List.copyOf(builder.formats);
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
     * Opens an object's content under the encryption context PHI Courier writers use: verified,
     * decrypted and, for objects the sink wrote, decompressed JSON Lines.
     *
     * @param bucket the bucket
     * @param key the object key
     * @return the plaintext; the caller closes it
     * @throws IntegrityException naming the object and the failed check when the object is not
     *     encrypted, its envelope is malformed or refused by the policy, its key cannot be
     *     unwrapped, or its commitment or tag fails
     * @throws ConfigurationException when the object does not exist, access is denied, or the
     *     master key is missing or disabled
     * @throws SinkException when S3 or KMS fails after the clients' retries
     */
    public InputStream openContent(String bucket, String key) {
        return open(bucket, key, Optional.empty()).content();
    }

    /**
     * Opens an object's content under an encryption context the caller names, for objects
     * written with a context of their own (for example by the S3 Encryption Client). The context
     * must equal the stored one exactly, without the reserved {@code aws:x-amz-cek-alg} entry.
     *
     * @param bucket the bucket
     * @param key the object key
     * @param encryptionContext the context the object was written with; empty for none
     * @return the plaintext; the caller closes it
     * @throws IntegrityException as {@link #openContent(String, String)}, and when the context
     *     differs from the stored one
     */
    public InputStream openContent(String bucket, String key,
            Map<String, String> encryptionContext) {
        return open(bucket, key, Optional.of(Map.copyOf(encryptionContext))).content();
    }

    /**
     * Opens an object's records: each line of its JSON Lines content as a JSON object, or each
     * CSV record as a JSON object of the header's names and the fields' text (null for an empty
     * unquoted field).
     *
     * @param bucket the bucket
     * @param key the object key
     * @return the records; the caller closes them
     * @throws IntegrityException when the object fails any check
     */
    public RecordReader readRecords(String bucket, String key) {
        return readRecords(bucket, List.of(key));
    }

    /**
     * Opens the records of several objects, one after the other, for example all objects of a
     * stream from a run report ({@code report.stream("patients").objectKeys()}) or from
     * {@link #listObjects}. Each object is verified when the reader reaches it.
     *
     * @param bucket the bucket
     * @param keys the object keys, in reading order
     * @return the records; the caller closes them
     */
    public RecordReader readRecords(String bucket, List<String> keys) {
        return new RecordReader(List.copyOf(keys), key -> open(bucket, key, Optional.empty()),
                Optional.empty());
    }

    /**
     * Opens the records of several objects as rows of a schema, whatever format and compression
     * the sink wrote them in: every value is read back into its field type's Java class. Objects
     * of a format from an optional module (such as Parquet) read only this way, and only when
     * that format is {@linkplain Builder#format registered}.
     *
     * @param bucket the bucket
     * @param keys the object keys, in reading order
     * @param schema the schema the objects were written with
     * @return the rows; the caller closes them
     * @throws IntegrityException (while iterating) naming the object, the record number and
     *     the field, never the value, when a record does not fit the schema
     */
    public RowReader readRows(String bucket, List<String> keys, Schema schema) {
        Objects.requireNonNull(schema, "schema");
        RecordReader records = new RecordReader(List.copyOf(keys),
                key -> open(bucket, key, Optional.empty()), Optional.of(schema));
        return new RowReader(records, schema);
    }

    /**
     * Lists the encrypted objects under a prefix, leaving out instruction files and the plain
     * JSON bookkeeping the sink keeps beside them ({@code _manifests/}, {@code _reports/}).
     *
     * @param bucket the bucket
     * @param prefix the key prefix; empty for the whole bucket
     * @return the object keys in S3's (lexicographic) order
     * @throws SinkException when S3 cannot be listed
     */
    public List<String> listObjects(String bucket, String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).filter(key -> !StoredObjects.isInstructionFile(key))
                    .filter(key -> !isBookkeeping(key)).forEach(keys::add);
            return keys;
        } catch (S3Exception | SdkClientException e) {
            throw new SinkException("bucket '" + bucket + "' cannot be listed under '" + prefix
                    + "' (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static boolean isBookkeeping(String key) {
        String folder = "/" + key;
        return folder.contains("/" + ObjectNames.MANIFESTS)
                || folder.contains("/" + ObjectNames.REPORTS);
    }

    private DecodedObject open(String bucket, String key,
            Optional<Map<String, String>> context) {
        ResponseInputStream<GetObjectResponse> first =
                StoredObjects.get(s3, bucket, key, Optional.empty());
        EnvelopeDecryption decryption;
        try {
            decryption = prepare(bucket, key, first.response(), context);
        } catch (RuntimeException e) {
            closeQuietly(first);
            throw e;
        }
        try {
            InputStream checked = ChecksumCheck.wrap(
                    ChecksumCheck.of(s3, bucket, key, first.response()), first);
            ContentCipher firstCipher = decryption.newCipher();
            if (delayedAuthentication || !firstCipher.authenticates()) {
                return decoded(new DecryptingInputStream(checked, firstCipher, key), first, key);
            }
            try (InputStream body = checked) {
                DecryptingInputStream.verify(body, firstCipher, key);
            }
            String etag = first.response().eTag();
            InputStream second = StoredObjects.get(s3, bucket, key, Optional.ofNullable(etag));
            return decoded(new DecryptingInputStream(second, decryption.newCipher(), key), first,
                    key);
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + key + "' could not be read", e);
        } finally {
            decryption.destroy();
        }
    }

    private EnvelopeDecryption prepare(String bucket, String key, GetObjectResponse response,
            Optional<Map<String, String>> context) {
        ContentMetadata envelope = StoredObjects.envelope(s3, bucket, key, response.metadata(),
                instructionFiles);
        Map<String, String> expected = context.orElseGet(() ->
                StoredObjects.derivedContext(bucket, key, envelope));
        return EnvelopeDecryption.open(envelope, keyring, expected, policy);
    }

    private DecodedObject decoded(InputStream plaintext,
            ResponseInputStream<GetObjectResponse> first, String key) throws IOException {
        try {
            Optional<ContentEncoding> encoding = ContentEncoding.parse(Optional.ofNullable(
                    first.response().metadata().get(ContentEncoding.METADATA)), key, formats);
            InputStream content = encoding.isPresent()
                    ? encoding.get().decompress(plaintext) : plaintext;
            return new DecodedObject(content, encoding);
        } catch (IOException | RuntimeException e) {
            closeQuietly(plaintext);
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // The read already failed; the caller learns that failure, not this one.
            return;
        }
    }

    @Override
    public String toString() {
        return "S3ObjectReader[keyring=" + keyring.keyId() + ", " + policy.commitmentPolicy()
                + (delayedAuthentication ? ", delayed authentication" : "") + "]";
    }

    /** Builds an {@link S3ObjectReader}; mutable and not thread-safe. */
    public static final class Builder {
        private S3Client s3;
        private Keyring keyring;
        private CommitmentPolicy commitmentPolicy = CommitmentPolicy.REQUIRE_COMMITMENT;
        private boolean allowLegacyContent;
        private boolean allowLegacyKeyWraps;
        private boolean allowDelayedAuthentication;
        private boolean instructionFiles;
        private boolean allowPlainHttp;
        private final List<RecordFormat> formats = new ArrayList<>();

        private Builder() {
        }

        /**
         * Registers a record format of an optional module, so that objects written in it can be
         * read with {@link S3ObjectReader#readRows}; JSON Lines and CSV are always known. May be
         * called once per format.
         *
         * @param format the format, such as the Parquet module's
         * @return this builder
         */
        public Builder format(RecordFormat format) {
            formats.add(Objects.requireNonNull(format, "format"));
            return this;
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
         * Sets the keyring that unwraps data keys. Required; a {@code MultiKeyring} reads
         * objects written under several master keys.
         *
         * @param keyring the keyring the objects were written with
         * @return this builder
         */
        public Builder keyring(Keyring keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * Sets which formats are read; {@link CommitmentPolicy#REQUIRE_COMMITMENT} (V3 only) by
         * default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder commitmentPolicy(CommitmentPolicy policy) {
            this.commitmentPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Allows legacy AES-CBC objects (V1, and V2 layouts with CBC content). They are not
         * authenticated: an altered object may decrypt to altered plaintext undetected. Off by
         * default; meant for a one-time migration of old objects.
         *
         * @param allow true to read them
         * @return this builder
         */
        public Builder allowLegacyContent(boolean allow) {
            this.allowLegacyContent = allow;
            return this;
        }

        /**
         * Allows data keys wrapped with legacy algorithms ({@code AESWrap}, {@code AES},
         * {@code RSA}, {@code RSA/ECB/OAEPWithSHA-256AndMGF1Padding}, {@code kms}); off by
         * default.
         *
         * @param allow true to unwrap them
         * @return this builder
         */
        public Builder allowLegacyKeyWraps(boolean allow) {
            this.allowLegacyKeyWraps = allow;
            return this;
        }

        /**
         * Reads each object in one pass, releasing plaintext before its authentication tag has
         * been checked; off by default. A failed check still ends the stream with an
         * {@link IntegrityException}, but only after the caller has consumed the altered bytes,
         * so callers must be able to discard everything they read from a failed object.
         *
         * @param allow true to accept delayed authentication
         * @return this builder
         */
        public Builder allowDelayedAuthentication(boolean allow) {
            this.allowDelayedAuthentication = allow;
            return this;
        }

        /**
         * Looks for {@code <key>.instruction} when an object carries no envelope metadata at
         * all, as V1/V2 objects written with instruction files do; off by default, so that a
         * plain object is refused at once. V3 objects whose envelope is in an instruction file
         * say so in their metadata and are read either way.
         *
         * @param enabled true to look for instruction files
         * @return this builder
         */
        public Builder instructionFiles(boolean enabled) {
            this.instructionFiles = enabled;
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
         * Builds the reader.
         *
         * @return the reader
         * @throws ConfigurationException when the client or keyring is missing, or the
         *     endpoint is plain HTTP without {@link #allowPlainHttp}
         */
        public S3ObjectReader build() {
            if (s3 == null || keyring == null) {
                throw new ConfigurationException("an S3 object reader needs s3Client and keyring");
            }
            Transport.check(s3, allowPlainHttp, "S3 object reader");
            return new S3ObjectReader(this);
        }
    }
}
