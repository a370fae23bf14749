package org.phicourier.s3.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.phicourier.IntegrityException;
import org.phicourier.PhiCourierException;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.ContentMetadata;
import org.phicourier.crypto.internal.EnvelopeDecryption;
import org.phicourier.crypto.internal.EnvelopeLayout;
import org.phicourier.crypto.internal.KeyMaterial;
import org.phicourier.crypto.internal.MetadataKeys;
import org.phicourier.crypto.internal.ReadPolicy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Re-wraps the data key of one object under a new master key and stores the new envelope: in a
 * new instruction file, or by copying the object onto itself with replaced metadata (S3 copies
 * the body server-side; its bytes are not read, decrypted or changed). The copy is conditional on
 * the ETag read before, so a concurrent change fails the copy instead of being overwritten.
 */
public final class EnvelopeRewriter {
    /** Why an object is left unchanged; the message is safe to report. */
    public static final class Skipped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean alreadyCurrent;

        Skipped(String message, boolean alreadyCurrent) {
            super(message, null, false, false);
            this.alreadyCurrent = alreadyCurrent;
        }

        /**
         * Tells whether the object is already wrapped under the new key.
         *
         * @return true when nothing needs doing
         */
        public boolean alreadyCurrent() {
            return alreadyCurrent;
        }
    }

    private static final long MAX_COPY_BYTES = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final Keyring from;
    private final Keyring to;
    private final ReadPolicy policy;
    private final boolean instructionFiles;
    private final Function<String, Optional<Map<String, String>>> contexts;

    /**
     * Creates the rewriter.
     *
     * @param s3 the client
     * @param from unwraps the current data keys
     * @param to wraps them anew
     * @param allowLegacyKeyWraps whether legacy-wrapped keys are migrated
     * @param instructionFiles whether to look for V1/V2 instruction files
     * @param contexts the encryption context per object key, when not derived
     */
    public EnvelopeRewriter(S3Client s3, Keyring from, Keyring to, boolean allowLegacyKeyWraps,
            boolean instructionFiles, Function<String, Optional<Map<String, String>>> contexts) {
        this.s3 = s3;
        this.from = from;
        this.to = to;
        this.policy = new ReadPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING, false,
                allowLegacyKeyWraps);
        this.instructionFiles = instructionFiles;
        this.contexts = contexts;
    }

    /**
     * Re-wraps one object.
     *
     * @param bucket the bucket
     * @param key the object key
     * @param dryRun true to check and plan only
     * @return what changed, for the report
     * @throws Skipped when the object is already current or cannot be re-wrapped
     * @throws PhiCourierException when reading or writing fails
     */
    public String rewrap(String bucket, String key, boolean dryRun) {
        HeadObjectResponse head = StoredObjects.head(s3, bucket, key);
        ContentMetadata envelope = StoredObjects.envelope(s3, bucket, key, head.metadata(),
                instructionFiles);
        if (envelope.format() == ContentMetadata.Format.V1 || envelope.suite().isLegacy()) {
            throw new Skipped("legacy unauthenticated content is not re-wrapped; re-encrypt it",
                    false);
        }
        Map<String, String> context = contexts.apply(key)
                .orElseGet(() -> StoredObjects.derivedContext(bucket, key, envelope));
        EncryptedDataKey newKey = rewrapped(envelope, context);
        EnvelopeLayout.Placement placement = EnvelopeLayout.place(envelope.envelopeWith(newKey),
                otherMetadata(head.metadata()), newKey, envelope.inInstructionFile());
        String change = describe(envelope, placement);
        if (!dryRun) {
            store(bucket, key, head, placement);
            check(bucket, key, context);
        }
        return change;
    }

    private EncryptedDataKey rewrapped(ContentMetadata envelope, Map<String, String> context) {
        byte[] dataKey;
        try {
            dataKey = EnvelopeDecryption.unwrapChecked(envelope, from, context, policy);
        } catch (IntegrityException e) {
            if (unwrapsWith(envelope, to, context)) {
                throw new Skipped("already wrapped under the new master key", true);
            }
            throw e;
        }
        try {
            EnvelopeDecryption.checkCommitment(envelope, dataKey);
            return to.encryptDataKey(dataKey, envelope.suite(), context);
        } finally {
            KeyMaterial.zero(dataKey);
        }
    }

    private boolean unwrapsWith(ContentMetadata envelope, Keyring keyring,
            Map<String, String> context) {
        try {
            byte[] dataKey = EnvelopeDecryption.unwrapChecked(envelope, keyring, context, policy);
            try {
                EnvelopeDecryption.checkCommitment(envelope, dataKey);
                return true;
            } finally {
                KeyMaterial.zero(dataKey);
            }
        } catch (IntegrityException e) {
            return false;
        }
    }

    private static Map<String, String> otherMetadata(Map<String, String> metadata) {
        Map<String, String> other = new HashMap<>();
        metadata.forEach((name, value) -> {
            if (!EnvelopeLayout.isEnvelopeEntry(name)) {
                other.put(name, value);
            }
        });
        return other;
    }

    private static String describe(ContentMetadata envelope,
            EnvelopeLayout.Placement placement) {
        String where = placement.instructionFile().isPresent() ? "instruction file"
                : "object metadata";
        return envelope.format() + " envelope, " + envelope.dataKey().algorithm() + " key in "
                + (envelope.inInstructionFile() ? "instruction file" : "object metadata")
                + " -> re-wrapped key in " + where;
    }

    private void store(String bucket, String key, HeadObjectResponse head,
            EnvelopeLayout.Placement placement) {
        try {
            if (placement.instructionFile().isPresent()) {
                putInstructionFile(bucket, key, placement.instructionFile().get());
            }
            if (!placement.objectMetadata().equals(head.metadata())) {
                copyWithMetadata(bucket, key, head, placement.objectMetadata());
            }
        } catch (SdkException e) {
            throw new org.phicourier.SinkException("object '" + key + "': the new envelope could"
                    + " not be stored (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private void putInstructionFile(String bucket, String key, Map<String, String> entries) {
        s3.putObject(r -> r.bucket(bucket).key(EnvelopeLayout.instructionFileKey(key))
                .metadata(Map.of(MetadataKeys.INSTRUCTION_FILE_MARKER, ""))
                .contentType("application/json"),
                RequestBody.fromBytes(EnvelopeLayout.instructionFileBody(entries)));
    }

    private void copyWithMetadata(String bucket, String key, HeadObjectResponse head,
            Map<String, String> metadata) {
        if (head.contentLength() > MAX_COPY_BYTES) {
            throw new Skipped("objects over 5 GiB need a multipart copy, which re-wrapping does"
                    + " not do yet", false);
        }
        CopyObjectRequest.Builder copy = CopyObjectRequest.builder().sourceBucket(bucket)
                .sourceKey(key).destinationBucket(bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata)
                .copySourceIfMatch(head.eTag()).contentType(head.contentType())
                .contentEncoding(head.contentEncoding()).contentDisposition(
                        head.contentDisposition()).contentLanguage(head.contentLanguage())
                .cacheControl(head.cacheControl())
                .storageClass(head.storageClassAsString())
                .serverSideEncryption(head.serverSideEncryptionAsString())
                .ssekmsKeyId(head.ssekmsKeyId());
        s3.copyObject(copy.build());
    }

    private void check(String bucket, String key, Map<String, String> context) {
        HeadObjectResponse head = StoredObjects.head(s3, bucket, key);
        ContentMetadata stored = StoredObjects.envelope(s3, bucket, key, head.metadata(),
                instructionFiles);
        byte[] dataKey = EnvelopeDecryption.unwrapChecked(stored, to, context, policy);
        try {
            EnvelopeDecryption.checkCommitment(stored, dataKey);
        } finally {
            KeyMaterial.zero(dataKey);
        }
    }
}
