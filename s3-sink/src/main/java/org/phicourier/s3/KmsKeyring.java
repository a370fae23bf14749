package org.phicourier.s3;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.PhiCourierException;
import org.phicourier.SinkException;
import org.phicourier.crypto.AlgorithmSuite;
import org.phicourier.crypto.DataKey;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.WrapAlgorithm;
import org.phicourier.crypto.internal.KeyMaterial;
import org.phicourier.crypto.internal.MetadataKeys;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * A keyring whose master key lives in AWS KMS: each data key comes from {@code GenerateDataKey}
 * under an encryption context that names the object, as the Amazon S3 Encryption Client's
 * {@code kms+context} mode does.
 *
 * <p>The encryption context binds a wrapped key to its bucket and object key: unwrapping succeeds
 * only under exactly the context it was created with (no subset, no superset), so an object
 * copied or swapped elsewhere fails to decrypt. The context entry {@code aws:x-amz-cek-alg} is
 * reserved and set by the keyring to the content algorithm. Legacy {@code kms} wraps (no reserved
 * entry) are unwrapped with their stored context when the reader allows legacy key wraps.
 *
 * <p>After a key rotation, keep old objects readable with a
 * {@link org.phicourier.crypto.MultiKeyring} of the new key followed by the old ones, or re-wrap
 * them with {@link KeyRotation}.
 *
 * <p>Failures: a wrapped key that is altered or belongs to another KMS key is an
 * {@link IntegrityException}; a key that is missing, disabled, pending deletion or refused
 * (access denied) is a {@link ConfigurationException}; throttling, KMS errors and network
 * failures are a {@link SinkException}, raised only after the KMS client's own retries (the SDK
 * retries throttling and server errors; nothing else is retried, as a retry cannot cure it).
 * Messages carry key ids and KMS error codes, never key material. Plaintext data keys are copied
 * and overwritten after use. Instances are thread-safe; the KMS client is owned by the caller.
 */
public final class KmsKeyring implements Keyring {
    private static final Set<String> REFUSALS = Set.of("AccessDeniedException",
            "KMSInvalidStateException", "DisabledException", "NotFoundException",
            "UnrecognizedClientException", "KeyUnavailableException");

    private final KmsClient kms;
    private final String keyId;

    private KmsKeyring(Builder builder) {
        this.kms = builder.kms;
        this.keyId = builder.keyId;
    }

    /**
     * Starts building a KMS keyring.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public DataKey generateDataKey(AlgorithmSuite suite, Map<String, String> context) {
        Map<String, String> full = withReservedEntry(context, suite);
        GenerateDataKeyResponse response = call("generate a data key", () ->
                kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                        .encryptionContext(full)));
        byte[] plaintext = response.plaintext().asByteArray();
        try {
            return DataKey.of(plaintext, EncryptedDataKey.of(WrapAlgorithm.KMS_CONTEXT,
                    response.ciphertextBlob().asByteArray(), full));
        } finally {
            KeyMaterial.zero(plaintext);
        }
    }

    @Override
    public EncryptedDataKey encryptDataKey(byte[] dataKey, AlgorithmSuite suite,
            Map<String, String> context) {
        Map<String, String> full = withReservedEntry(context, suite);
        byte[] wrapped = call("encrypt a data key", () -> kms.encrypt(r -> r.keyId(keyId)
                .encryptionContext(full).plaintext(SdkBytes.fromByteArray(dataKey))))
                .ciphertextBlob().asByteArray();
        return EncryptedDataKey.of(WrapAlgorithm.KMS_CONTEXT, wrapped, full);
    }

    private static Map<String, String> withReservedEntry(Map<String, String> context,
            AlgorithmSuite suite) {
        if (context.containsKey(MetadataKeys.RESERVED_CONTEXT_KEY)) {
            throw new ConfigurationException("the encryption context entry "
                    + MetadataKeys.RESERVED_CONTEXT_KEY + " is reserved");
        }
        Map<String, String> full = new HashMap<>(KeyMaterial.checkedDescription(context,
                "encryption context"));
        full.put(MetadataKeys.RESERVED_CONTEXT_KEY, suite.cipherName());
        return Map.copyOf(full);
    }

    @Override
    public byte[] decryptDataKey(EncryptedDataKey key, AlgorithmSuite suite,
            Map<String, String> context) {
        if (key.algorithm() == WrapAlgorithm.KMS) {
            return decrypt(key, key.description());
        }
        if (key.algorithm() != WrapAlgorithm.KMS_CONTEXT) {
            throw new IntegrityException("data key is wrapped with " + key.algorithm()
                    + ", not with KMS");
        }
        Map<String, String> stored = key.description();
        Map<String, String> comparable = new HashMap<>(stored);
        comparable.remove(MetadataKeys.RESERVED_CONTEXT_KEY);
        comparable.remove(MetadataKeys.KMS_KEY_ID_CONTEXT_KEY);
        if (!comparable.equals(context)) {
            throw new IntegrityException("the KMS encryption context does not match the stored"
                    + " one (stored entries " + comparable.keySet() + ", supplied entries "
                    + context.keySet() + "): wrong object or altered metadata (encryption"
                    + " context check)");
        }
        if (!suite.cipherName().equals(stored.get(MetadataKeys.RESERVED_CONTEXT_KEY))) {
            throw new IntegrityException("the stored KMS encryption context names another"
                    + " content algorithm than the object: altered metadata (content algorithm"
                    + " check)");
        }
        return decrypt(key, stored);
    }

    @Override
    public boolean canDecrypt(WrapAlgorithm algorithm) {
        return algorithm == WrapAlgorithm.KMS_CONTEXT || algorithm == WrapAlgorithm.KMS;
    }

    private byte[] decrypt(EncryptedDataKey key, Map<String, String> context) {
        DecryptResponse response = call("decrypt a data key", () -> kms.decrypt(r -> r
                .keyId(keyId).encryptionContext(context)
                .ciphertextBlob(SdkBytes.fromByteArray(key.ciphertext()))));
        return response.plaintext().asByteArray();
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (IncorrectKeyException e) {
            throw new IntegrityException("the data key was not wrapped by KMS key '" + keyId
                    + "' (IncorrectKeyException)");
        } catch (InvalidCiphertextException e) {
            throw new IntegrityException("KMS rejected the wrapped data key or its encryption"
                    + " context: altered, or wrapped by another key (InvalidCiphertextException)");
        } catch (NotFoundException | DisabledException | KmsInvalidStateException e) {
            throw new ConfigurationException("KMS key '" + keyId + "' cannot " + what + ": "
                    + errorCode(e));
        } catch (KmsException e) {
            throw refusalOrFailure(what, e);
        } catch (SdkClientException e) {
            throw new SinkException("KMS is unreachable (" + e.getClass().getSimpleName()
                    + "); the client's retries are exhausted", e);
        }
    }

    private PhiCourierException refusalOrFailure(String what, KmsException e) {
        String code = errorCode(e);
        if (code.equals("AccessDeniedException") && what.startsWith("decrypt")) {
            // KMS (and emulators) may deny a Decrypt naming one key for a blob of another key,
            // so a MultiKeyring must be able to try its next keyring.
            return new IntegrityException("KMS key '" + keyId + "' may not decrypt this data"
                    + " key (AccessDeniedException): it was wrapped by another KMS key, or this"
                    + " caller lacks kms:Decrypt on it", e);
        }
        if (REFUSALS.contains(code) || e.statusCode() == 403) {
            return new ConfigurationException("KMS refused to let key '" + keyId + "' " + what
                    + ": " + code);
        }
        String retry = code.contains("Throttl") || e.statusCode() == 429
                ? "; KMS throttled the requests beyond the client's retries, retry later" : "";
        return new SinkException("KMS failed to " + what + " with key '" + keyId + "': " + code
                + retry, e);
    }

    private static String errorCode(KmsException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
    }

    @Override
    public void verify() {
        KeyState state = call("be described", () -> kms.describeKey(r -> r.keyId(keyId)))
                .keyMetadata().keyState();
        if (state != KeyState.ENABLED) {
            throw new ConfigurationException("KMS key '" + keyId + "' is " + state
                    + ", not enabled");
        }
    }

    @Override
    public String toString() {
        return "KmsKeyring[" + keyId + "]";
    }

    /** Builds a {@link KmsKeyring}; mutable and not thread-safe. */
    public static final class Builder {
        private KmsClient kms;
        private String keyId;

        private Builder() {
        }

        /**
         * Sets the KMS client. Required; the caller keeps ownership. Its retry policy decides
         * how throttling and server errors are retried.
         *
         * @param kms the client
         * @return this builder
         */
        public Builder kmsClient(KmsClient kms) {
            this.kms = Objects.requireNonNull(kms, "kms");
            return this;
        }

        /**
         * Sets the master key: a key id, key ARN or alias. Required.
         *
         * @param keyId the key
         * @return this builder
         */
        public Builder keyId(String keyId) {
            this.keyId = Objects.requireNonNull(keyId, "keyId");
            return this;
        }

        /**
         * Builds the keyring.
         *
         * @return the keyring
         * @throws ConfigurationException when the client or key id is missing
         */
        public KmsKeyring build() {
            if (kms == null || keyId == null || keyId.isBlank()) {
                throw new ConfigurationException("a KMS keyring needs kmsClient and keyId");
            }
            return new KmsKeyring(this);
        }
    }
}
