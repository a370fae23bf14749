package org.phicourier.s3;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;
import org.phicourier.crypto.DataKey;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.WrapAlgorithm;
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
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * A keyring whose master key lives in AWS KMS: each data key comes from {@code GenerateDataKey}
 * under an encryption context that names the object, as the Amazon S3 Encryption Client's
 * {@code kms+context} mode does.
 *
 * <p>The encryption context binds a wrapped key to its bucket and object key: unwrapping succeeds
 * only under exactly the context it was created with (no subset, no superset), so an object
 * copied or swapped elsewhere fails to decrypt. The context entry {@code aws:x-amz-cek-alg} is
 * reserved and set by the keyring. Plaintext data keys are copied and overwritten after use.
 * Instances are thread-safe; the KMS client is owned by the caller.
 */
public final class KmsKeyring implements Keyring {
    private static final String RESERVED = "aws:x-amz-cek-alg";

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
    public DataKey generateDataKey(EnvelopeVersion version, Map<String, String> context) {
        Map<String, String> full = withReservedEntry(context, version);
        GenerateDataKeyResponse response;
        try {
            response = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(full));
        } catch (NotFoundException | DisabledException e) {
            throw new ConfigurationException("KMS key '" + keyId + "' cannot generate data keys: "
                    + e.awsErrorDetails().errorCode());
        } catch (KmsException e) {
            throw new SinkException("KMS refused a data key for key '" + keyId + "': "
                    + e.awsErrorDetails().errorCode(), e);
        } catch (SdkClientException e) {
            throw new SinkException("KMS is unreachable: " + e.getMessage(), e);
        }
        byte[] plaintext = response.plaintext().asByteArray();
        try {
            return DataKey.of(plaintext, EncryptedDataKey.of(WrapAlgorithm.KMS_CONTEXT,
                    response.ciphertextBlob().asByteArray(), full));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static Map<String, String> withReservedEntry(Map<String, String> context,
            EnvelopeVersion version) {
        if (context.containsKey(RESERVED)) {
            throw new ConfigurationException("the encryption context entry " + RESERVED
                    + " is reserved");
        }
        Map<String, String> full = new HashMap<>(context);
        full.put(RESERVED, version.suiteText());
        return full;
    }

    @Override
    public byte[] decryptDataKey(EncryptedDataKey key, EnvelopeVersion version,
            Map<String, String> context) {
        if (key.algorithm() != WrapAlgorithm.KMS_CONTEXT) {
            throw new IntegrityException("data key is wrapped with " + key.algorithm()
                    + ", not with KMS");
        }
        Map<String, String> stored = key.description();
        if (!withReservedEntry(context, version).equals(stored)) {
            throw new IntegrityException("the stored KMS encryption context does not match the"
                    + " object being read (expected entries " + context.keySet() + ")");
        }
        return decrypt(key, stored);
    }

    private byte[] decrypt(EncryptedDataKey key, Map<String, String> context) {
        try {
            DecryptResponse response = kms.decrypt(r -> r.keyId(keyId).encryptionContext(context)
                    .ciphertextBlob(SdkBytes.fromByteArray(key.ciphertext())));
            return response.plaintext().asByteArray();
        } catch (IncorrectKeyException e) {
            throw new IntegrityException("data key was not wrapped by KMS key '" + keyId + "'");
        } catch (InvalidCiphertextException e) {
            throw new IntegrityException("KMS rejected the wrapped data key or its encryption"
                    + " context (altered, or wrapped by another key)");
        } catch (NotFoundException | DisabledException e) {
            throw new ConfigurationException("KMS key '" + keyId + "' cannot decrypt: "
                    + e.awsErrorDetails().errorCode());
        } catch (KmsException e) {
            throw new SinkException("KMS refused to decrypt with key '" + keyId + "': "
                    + e.awsErrorDetails().errorCode(), e);
        } catch (SdkClientException e) {
            throw new SinkException("KMS is unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void verify() {
        KeyState state;
        try {
            state = kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState();
        } catch (NotFoundException e) {
            throw new ConfigurationException("KMS key '" + keyId + "' does not exist");
        } catch (KmsException e) {
            throw new ConfigurationException("KMS key '" + keyId + "' cannot be used: "
                    + e.awsErrorDetails().errorCode());
        } catch (SdkClientException e) {
            throw new SinkException("KMS is unreachable: " + e.getMessage(), e);
        }
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
         * Sets the KMS client. Required; the caller keeps ownership.
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
