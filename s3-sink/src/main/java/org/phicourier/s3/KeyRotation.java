package org.phicourier.s3;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.phicourier.ConfigurationException;
import org.phicourier.PhiCourierException;
import org.phicourier.audit.AuditSink;
import org.phicourier.crypto.Keyring;
import org.phicourier.s3.internal.EnvelopeRewriter;
import org.phicourier.s3.internal.StoredObjects;
import org.phicourier.s3.internal.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Re-wraps the data keys of existing objects from one master key to another without rewriting
 * their data: each object's data key is unwrapped with the old keyring, checked against its key
 * commitment, wrapped with the new keyring under the same encryption context and content
 * algorithm, and only the envelope is rewritten, in the instruction file or in the object's
 * metadata. The body bytes stay as they are; afterwards the objects decrypt with the new key and
 * no longer with the old one.
 *
 * <p>Metadata is rewritten by copying the object onto itself server-side, conditional on the ETag
 * read before (a concurrent change fails that object instead of being lost); other user metadata,
 * content headers, storage class and server-side encryption are kept. Each new envelope is read
 * back and unwrapped with the new key before the object counts as re-wrapped. Objects that are
 * already under the new key are skipped, so a run can be repeated after a failure. Legacy CBC
 * objects are not re-wrapped (re-encrypt them), nor are objects over 5 GiB (S3's copy limit).
 *
 * <p>Every object yields one {@link RotationEvent}, passed to the {@link Builder#onEvent} hook as
 * it happens (it names object keys and key ids only), written to the audit trail when
 * {@link Builder#audit} names one, and collected in the {@link RotationReport}; the same is
 * logged at INFO. Note: on a versioned bucket the earlier
 * versions keep the old wrapped key, so the old key must stay available (or those versions be
 * deleted) until they expire.
 *
 * <p>Instances are immutable and thread-safe; objects are handled one at a time.
 */
public final class KeyRotation {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    private final S3Client s3;
    private final Keyring from;
    private final Keyring to;
    private final boolean dryRun;
    private final Consumer<RotationEvent> listener;
    private final Optional<AuditSink> audit;
    private final String actor;
    private final EnvelopeRewriter rewriter;

    private KeyRotation(Builder builder) {
        this.s3 = builder.s3;
        this.from = builder.from;
        this.to = builder.to;
        this.dryRun = builder.dryRun;
        this.listener = builder.listener;
        this.audit = Optional.ofNullable(builder.audit);
        this.actor = builder.actor;
        this.rewriter = new EnvelopeRewriter(s3, from, to, builder.allowLegacyKeyWraps,
                builder.instructionFiles, builder.contexts);
    }

    /**
     * Starts building a rotation.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Re-wraps every object under a prefix (instruction files are handled with their objects).
     *
     * @param bucket the bucket
     * @param prefix the key prefix; empty for the whole bucket
     * @return one event per object
     * @throws org.phicourier.SinkException when the bucket cannot be listed
     */
    public RotationReport rewrap(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).filter(key -> !StoredObjects.isInstructionFile(key))
                    .forEach(keys::add);
        } catch (SdkException e) {
            throw new org.phicourier.SinkException("bucket '" + bucket + "' cannot be listed"
                    + " under '" + prefix + "' (" + e.getClass().getSimpleName() + ")", e);
        }
        return rewrap(bucket, keys);
    }

    /**
     * Re-wraps the named objects.
     *
     * @param bucket the bucket
     * @param keys the object keys
     * @return one event per object, in order
     */
    public RotationReport rewrap(String bucket, List<String> keys) {
        Optional<RotationAudit> trail = audit.map(sink -> new RotationAudit(sink, actor, bucket,
                from.keyId(), to.keyId(), dryRun));
        trail.ifPresent(t -> t.started(keys.size()));

        List<RotationEvent> events = new ArrayList<>();
        for (String key : keys) {
            RotationEvent event = rewrapOne(bucket, key);
            LOG.info("key rotation: object '{}' {} ({} -> {})", key, event.outcome(),
                    from.keyId(), to.keyId());
            trail.ifPresent(t -> t.handled(event));
            listener.accept(event);
            events.add(event);
        }

        RotationReport report = new RotationReport(bucket, from.keyId(), to.keyId(), dryRun,
                events);
        trail.ifPresent(t -> t.finished(report));
        return report;
    }

    private RotationEvent rewrapOne(String bucket, String key) {
        try {
            String change = rewriter.rewrap(bucket, key, dryRun);
            return event(dryRun ? RotationEvent.Outcome.WOULD_REWRAP
                    : RotationEvent.Outcome.REWRAPPED, bucket, key, change);
        } catch (EnvelopeRewriter.Skipped e) {
            return event(e.alreadyCurrent() ? RotationEvent.Outcome.ALREADY_CURRENT
                    : RotationEvent.Outcome.FAILED, bucket, key, e.getMessage());
        } catch (PhiCourierException e) {
            return event(RotationEvent.Outcome.FAILED, bucket, key,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private RotationEvent event(RotationEvent.Outcome outcome, String bucket, String key,
            String detail) {
        return new RotationEvent(outcome, bucket, key, from.keyId(), to.keyId(), detail,
                Instant.now());
    }

    @Override
    public String toString() {
        return "KeyRotation[" + from.keyId() + " -> " + to.keyId() + (dryRun ? ", dry run" : "")
                + "]";
    }

    /** Builds a {@link KeyRotation}; mutable and not thread-safe. */
    public static final class Builder {
        private S3Client s3;
        private Keyring from;
        private Keyring to;
        private boolean dryRun;
        private boolean allowLegacyKeyWraps;
        private boolean instructionFiles;
        private boolean allowPlainHttp;
        private Consumer<RotationEvent> listener = event -> { };
        private AuditSink audit;
        private String actor;
        private Function<String, Optional<Map<String, String>>> contexts = key -> Optional.empty();

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
         * Sets the keyring of the old master key, which unwraps the current data keys. Required.
         *
         * @param keyring the old keyring
         * @return this builder
         */
        public Builder from(Keyring keyring) {
            this.from = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * Sets the keyring of the new master key, which wraps the data keys anew. Required.
         *
         * @param keyring the new keyring
         * @return this builder
         */
        public Builder to(Keyring keyring) {
            this.to = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * Checks every object and reports what would change, writing nothing; off by default.
         *
         * @param dryRun true for a dry run
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * Allows migrating data keys wrapped with legacy algorithms (for example {@code AESWrap}
         * or {@code kms}) to the new keyring's current wrap; off by default.
         *
         * @param allow true to migrate them
         * @return this builder
         */
        public Builder allowLegacyKeyWraps(boolean allow) {
            this.allowLegacyKeyWraps = allow;
            return this;
        }

        /**
         * Looks for V1/V2 instruction files of objects that carry no envelope metadata; off by
         * default (V3 instruction files are always followed).
         *
         * @param enabled true to look for them
         * @return this builder
         */
        public Builder instructionFiles(boolean enabled) {
            this.instructionFiles = enabled;
            return this;
        }

        /**
         * Names the KMS encryption context of each object, for objects not written by PHI
         * Courier; by default it is derived from the bucket and key as the reader does.
         *
         * @param contexts the context for an object key, or nothing to derive it
         * @return this builder
         */
        public Builder encryptionContexts(
                Function<String, Optional<Map<String, String>>> contexts) {
            this.contexts = Objects.requireNonNull(contexts, "contexts");
            return this;
        }

        /**
         * Sets the audit hook, called once per object as it is handled, on the calling thread.
         *
         * @param listener receives each event; must not throw
         * @return this builder
         */
        public Builder onEvent(Consumer<RotationEvent> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
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
         * Records the rotation in an audit trail: a start, one {@code KEY_REWRAPPED} event per
         * object (bucket, key, key ids, outcome) and an end, chained with the trail's earlier
         * events. None by default. An event that cannot be stored stops the rotation.
         *
         * @param sink where the events go
         * @param actor the service or person the rotation acts for
         * @return this builder
         */
        public Builder audit(AuditSink sink, String actor) {
            this.audit = Objects.requireNonNull(sink, "sink");
            this.actor = Objects.requireNonNull(actor, "actor");
            return this;
        }

        /**
         * Builds the rotation.
         *
         * @return the rotation
         * @throws ConfigurationException when the client or a keyring is missing, the two
         *     keyrings are the same, or the endpoint is plain HTTP without opt-in
         */
        public KeyRotation build() {
            if (s3 == null || from == null || to == null) {
                throw new ConfigurationException("a key rotation needs s3Client, from and to");
            }
            if (from.equals(to)) {
                throw new ConfigurationException("a key rotation needs two different keyrings");
            }
            Transport.check(s3, allowPlainHttp, "key rotation");
            return new KeyRotation(this);
        }
    }
}
