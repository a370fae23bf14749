package org.phicourier.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;
import org.phicourier.audit.AuditEvent;
import org.phicourier.audit.AuditSink;
import org.phicourier.audit.AuditVerification;
import org.phicourier.audit.AuditVerifier;
import org.phicourier.s3.internal.S3Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keeps the audit trail under an append-only S3 prefix, one object per event named by its place
 * in the chain ({@code <prefix>/00000000000000000042.json}), each written only if its name is
 * free ({@code If-None-Match: *}), so no event is ever replaced and two writers cannot both
 * append the same event. When the bucket has S3 Object Lock enabled, every event is written
 * under a retention in compliance mode (six years by default, the span HIPAA asks documentation
 * to be kept), so no one can delete or overwrite it before then; in a bucket without Object Lock
 * the events are written without retention, and deletion is detected by
 * {@link AuditVerifier} instead of prevented.
 *
 * <p>Events hold no record value, so they are stored as plain JSON. Instances are thread-safe
 * within one process; the S3 client is owned by the caller.
 */
public final class S3AuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(S3AuditSink.class);
    private static final Duration SIX_YEARS = Duration.ofDays(6 * 365 + 2);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Duration retention;
    private final Clock clock;
    private Boolean objectLock;

    private S3AuditSink(Builder builder) {
        this.s3 = builder.s3;
        this.bucket = builder.bucket;
        this.prefix = builder.prefix.replaceAll("/+$", "");
        this.retention = builder.retention;
        this.clock = builder.clock;
    }

    /**
     * Starts building a sink.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a sink from an {@code s3://bucket/prefix} address.
     *
     * @param s3 the client; the caller keeps ownership
     * @param address for example {@code s3://ehr-audit/trail/nightly}
     * @param allowPlainHttp true to accept a client whose endpoint is plain HTTP (an emulator)
     * @return the sink
     * @throws ConfigurationException when the address is not of that form
     */
    public static S3AuditSink of(S3Client s3, URI address, boolean allowPlainHttp) {
        S3Address parts = S3Address.parse(address, "audit", "s3://bucket/prefix");
        return builder().s3Client(s3).bucket(parts.bucket()).prefix(parts.path())
                .allowPlainHttp(allowPlainHttp).build();
    }

    @Override
    public synchronized Optional<AuditEvent> last() {
        List<String> keys = keys();
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        String key = keys.get(keys.size() - 1);
        try {
            return Optional.of(AuditEvent.fromJson(read(key)));
        } catch (IntegrityException e) {
            throw new IntegrityException("audit trail " + this + ": the last event, " + key
                    + ", cannot be read; verify the trail", e);
        }
    }

    @Override
    public synchronized void append(AuditEvent event) {
        String key = key(event.sequence());
        byte[] body = event.toJson().getBytes(StandardCharsets.UTF_8);
        // Object Lock requires an MD5 of the body; S3 checks the body against it either way.
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key)
                .contentType("application/json").contentMD5(md5(body)).ifNoneMatch("*");
        if (objectLockEnabled()) {
            request.objectLockMode(ObjectLockMode.COMPLIANCE)
                    .objectLockRetainUntilDate(clock.instant().plus(retention));
        }
        try {
            s3.putObject(request.build(), RequestBody.fromBytes(body));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new SinkException("audit trail " + this + ": event " + event.sequence()
                        + " exists already; another run appends to the same trail");
            }
            throw new SinkException("audit trail " + this + ": event " + event.sequence()
                    + " cannot be stored: HTTP " + e.statusCode() + " " + errorCode(e));
        } catch (SdkException e) {
            throw new SinkException("audit trail " + this + ": event " + event.sequence()
                    + " cannot be stored (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Reads every stored event, for verification.
     *
     * @return the events in key order, each named by its object key
     * @throws SinkException when S3 cannot be read
     */
    public synchronized List<AuditVerifier.Entry> entries() {
        List<AuditVerifier.Entry> entries = new ArrayList<>();
        for (String key : keys()) {
            entries.add(new AuditVerifier.Entry(key, read(key)));
        }
        return entries;
    }

    /**
     * Verifies the chain under the prefix.
     *
     * @return the outcome, naming the object key of the first bad event if any
     */
    public AuditVerification verify() {
        return AuditVerifier.verify(entries());
    }

    private static String md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private String key(long sequence) {
        return prefix + "/" + String.format("%020d", sequence) + ".json";
    }

    private List<String> keys() {
        try {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/")).contents()
                    .stream().map(S3Object::key).filter(k -> k.endsWith(".json"))
                    .forEach(keys::add);
            keys.sort(null);
            return keys;
        } catch (S3Exception e) {
            throw new SinkException("audit trail " + this + " cannot be listed: HTTP "
                    + e.statusCode());
        } catch (SdkException e) {
            throw new SinkException("audit trail " + this + " cannot be listed ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private String read(String key) {
        try {
            return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key))
                    .asString(StandardCharsets.UTF_8);
        } catch (S3Exception e) {
            throw new SinkException("audit event " + key + " cannot be read: HTTP "
                    + e.statusCode());
        } catch (SdkException e) {
            throw new SinkException("audit event " + key + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Asks once whether the bucket has Object Lock; a bucket without it answers 404. */
    private boolean objectLockEnabled() {
        if (objectLock == null) {
            try {
                objectLock = ObjectLockEnabled.ENABLED == s3.getObjectLockConfiguration(
                        r -> r.bucket(bucket)).objectLockConfiguration().objectLockEnabled();
            } catch (S3Exception e) {
                objectLock = false;
            }
            LOG.debug("audit trail {}: object lock {}", this, objectLock ? "on" : "off");
        }
        return objectLock;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** Builds an {@link S3AuditSink}; mutable and not thread-safe. */
    public static final class Builder {
        private S3Client s3;
        private String bucket;
        private String prefix;
        private Duration retention = SIX_YEARS;
        private Clock clock = Clock.systemUTC();
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
         * Sets the prefix the trail owns. Required; one trail per prefix.
         *
         * @param prefix for example {@code audit/nightly-export}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Sets how long each event is locked when the bucket has Object Lock; six years by
         * default.
         *
         * @param retention a positive duration
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Sets the clock that starts each retention; the system UTC clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
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
         * Builds the sink.
         *
         * @return the sink
         * @throws ConfigurationException when the client, bucket or prefix is missing, the
         *     retention is not positive, or the endpoint is plain HTTP without
         *     {@link #allowPlainHttp}
         */
        public S3AuditSink build() {
            if (s3 == null || bucket == null || bucket.isBlank() || prefix == null
                    || prefix.replace("/", "").isBlank()) {
                throw new ConfigurationException("S3 audit sink: s3Client, bucket and prefix are"
                        + " required");
            }
            if (retention.isNegative() || retention.isZero()) {
                throw new ConfigurationException("S3 audit sink: retention must be positive");
            }
            Optional<URI> endpoint = s3.serviceClientConfiguration().endpointOverride();
            if (endpoint.isPresent() && "http".equalsIgnoreCase(endpoint.get().getScheme())
                    && !allowPlainHttp) {
                throw new ConfigurationException("S3 endpoint " + endpoint.get() + " is plain"
                        + " HTTP; use HTTPS, or call allowPlainHttp(true) for a local emulator");
            }
            return new S3AuditSink(this);
        }
    }
}
