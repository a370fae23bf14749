package org.phicourier.s3;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.SinkException;
import org.phicourier.StateConflictException;
import org.phicourier.s3.internal.S3Address;
import org.phicourier.state.StateStore;
import org.phicourier.state.StoredState;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Keeps the state of a pipeline in one S3 object, replaced with S3's conditional writes: a write
 * names the ETag it replaces ({@code If-Match}), or, for the first state, requires that none
 * exists ({@code If-None-Match: *}), so two runs of the same pipeline on any machines can never
 * both commit: the second gets a {@link StateConflictException}. A PUT replaces an object
 * atomically, so a reader sees the old or the new document, never a part.
 *
 * <p>The state holds no plaintext PHI (record values in bookmarks are encrypted by the pipeline),
 * so it is stored as plain JSON. Keep it outside the sink's prefix, or under it with a name that
 * is not a data object's. Instances are immutable and thread-safe; the S3 client is owned by the
 * caller.
 *
 * <pre>{@code
 * StateStore state = S3StateStore.builder().s3Client(s3)
 *         .bucket("ehr-exports").key("state/ehr-export.json").build();
 * }</pre>
 */
public final class S3StateStore implements StateStore {
    private final S3Client s3;
    private final String bucket;
    private final String key;

    private S3StateStore(Builder builder) {
        this.s3 = builder.s3;
        this.bucket = builder.bucket;
        this.key = builder.key;
    }

    /**
     * Starts building a store.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a store from an {@code s3://bucket/key} address.
     *
     * @param s3 the client; the caller keeps ownership
     * @param address for example {@code s3://ehr-exports/state/ehr-export.json}
     * @param allowPlainHttp true to accept a client whose endpoint is plain HTTP (an emulator)
     * @return the store
     * @throws ConfigurationException when the address is not of that form
     */
    public static S3StateStore of(S3Client s3, URI address, boolean allowPlainHttp) {
        S3Address parts = S3Address.parse(address, "state", "s3://bucket/key");
        return builder().s3Client(s3).bucket(parts.bucket()).key(parts.path())
                .allowPlainHttp(allowPlainHttp).build();
    }

    /**
     * Reads the state object.
     *
     * @throws ConfigurationException when the bucket is missing or access is denied
     * @throws SinkException when S3 cannot be reached
     */
    @Override
    public Optional<StoredState> read() {
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
            return Optional.of(StoredState.of(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            throw failure("read", e);
        } catch (SdkException e) {
            throw new SinkException("state " + this + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the state object on condition.
     *
     * @throws StateConflictException when another run replaced it first
     * @throws SinkException when S3 cannot be reached
     */
    @Override
    public String write(byte[] document, Optional<String> expectedVersion) {
        try {
            return s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json")
                    .ifMatch(expectedVersion.orElse(null))
                    .ifNoneMatch(expectedVersion.isPresent() ? null : "*"),
                    RequestBody.fromBytes(document)).eTag();
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409
                    || (e.statusCode() == 404 && expectedVersion.isPresent())) {
                throw new StateConflictException("state " + this + " was changed by another run"
                        + " (HTTP " + e.statusCode() + ")");
            }
            throw failure("written", e);
        } catch (SdkException e) {
            throw new SinkException("state " + this + " cannot be written: " + e.getMessage(), e);
        }
    }

    private RuntimeException failure(String verb, S3Exception e) {
        if (e.statusCode() == 403 || e.statusCode() == 404) {
            return new ConfigurationException("state " + this + " cannot be " + verb + ": HTTP "
                    + e.statusCode() + " (is the bucket there, and may this role use it?)");
        }
        return new SinkException("state " + this + " cannot be " + verb + ": HTTP "
                + e.statusCode(), e);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }

    /** Builds an {@link S3StateStore}; mutable and not thread-safe. */
    public static final class Builder {
        private S3Client s3;
        private String bucket;
        private String key;
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
         * Sets the bucket. Required.
         *
         * @param bucket the bucket name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            this.bucket = Objects.requireNonNull(bucket, "bucket");
            return this;
        }

        /**
         * Sets the key of the state object. Required.
         *
         * @param key for example {@code state/ehr-export.json}
         * @return this builder
         */
        public Builder key(String key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Allows an S3 client whose endpoint is plain HTTP, such as a local emulator; off by
         * default.
         *
         * @param allow true to allow plain HTTP
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Builds the store.
         *
         * @return the store
         * @throws ConfigurationException when the client, bucket or key is missing, or the
         *     endpoint is plain HTTP without {@link #allowPlainHttp}
         */
        public S3StateStore build() {
            if (s3 == null || bucket == null || bucket.isBlank() || key == null
                    || key.isBlank()) {
                throw new ConfigurationException("S3 state store: s3Client, bucket and key are"
                        + " required");
            }
            Optional<URI> endpoint = s3.serviceClientConfiguration().endpointOverride();
            if (endpoint.isPresent() && "http".equalsIgnoreCase(endpoint.get().getScheme())
                    && !allowPlainHttp) {
                throw new ConfigurationException("S3 endpoint " + endpoint.get() + " is plain"
                        + " HTTP; use HTTPS, or call allowPlainHttp(true) for a local emulator");
            }
            return new S3StateStore(this);
        }
    }
}
