package org.phicourier.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.phicourier.crypto.DataKey;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.WrapAlgorithm;

/**
 * Encrypts one object in the V3 (key-committing) format of the S3 Encryption Client: a fresh data
 * key and message id, an HKDF-derived content key, AES-256-GCM with the fixed IV the format
 * prescribes, and the tag appended after the last byte. Not thread-safe.
 */
public final class EnvelopeEncryption {
    static final byte[] FIXED_IV = fixedIv();
    static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> metadata;
    private final Cipher cipher;

    private EnvelopeEncryption(Map<String, String> metadata, Cipher cipher) {
        this.metadata = metadata;
        this.cipher = cipher;
    }

    /**
     * Creates the keys and metadata of a new object.
     *
     * @param keyring wraps the data key
     * @param context names the object for the keyring (bucket, key, stream)
     * @return the encryption, ready for the object's bytes
     */
    public static EnvelopeEncryption begin(Keyring keyring, Map<String, String> context) {
        byte[] messageId = new byte[CommittingKeys.MESSAGE_ID_BYTES];
        RANDOM.nextBytes(messageId);
        try (DataKey dataKey = keyring.generateDataKey(EnvelopeVersion.V3, context)) {
            byte[] plaintext = dataKey.plaintext();
            byte[] contentKey = CommittingKeys.contentKey(plaintext, messageId);
            byte[] commitment = CommittingKeys.commitment(plaintext, messageId);
            Arrays.fill(plaintext, (byte) 0);
            try {
                return new EnvelopeEncryption(
                        metadata(dataKey.encrypted(), messageId, commitment), cipher(contentKey));
            } finally {
                Arrays.fill(contentKey, (byte) 0);
            }
        }
    }

    private static Map<String, String> metadata(EncryptedDataKey key, byte[] messageId,
            byte[] commitment) {
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, String> metadata = new HashMap<>();
        metadata.put(MetadataKeys.CONTENT_CIPHER_V3, EnvelopeVersion.V3.suiteText());
        metadata.put(MetadataKeys.ENCRYPTED_DATA_KEY_V3, base64.encodeToString(key.ciphertext()));
        metadata.put(MetadataKeys.WRAP_ALGORITHM_V3, key.algorithm().v3Code());
        metadata.put(MetadataKeys.KEY_COMMITMENT_V3, base64.encodeToString(commitment));
        metadata.put(MetadataKeys.MESSAGE_ID_V3, base64.encodeToString(messageId));
        if (key.algorithm() == WrapAlgorithm.KMS_CONTEXT) {
            metadata.put(MetadataKeys.ENCRYPTION_CONTEXT_V3, MetadataKeys.toJson(key.description()));
        } else if (!key.description().isEmpty()) {
            metadata.put(MetadataKeys.MATERIALS_DESCRIPTION_V3,
                    MetadataKeys.toJson(key.description()));
        }
        return Map.copyOf(metadata);
    }

    private static Cipher cipher(byte[] contentKey) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"),
                    new GCMParameterSpec(TAG_BITS, FIXED_IV));
            cipher.updateAAD(CommittingKeys.SUITE_ID);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] fixedIv() {
        byte[] iv = new byte[12];
        Arrays.fill(iv, (byte) 0x01);
        return iv;
    }

    /**
     * Returns the user metadata to store on the object.
     *
     * @return the metadata, without the {@code x-amz-meta-} prefix
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the cipher that encrypts the object's bytes in order; its final block holds the tag.
     *
     * @return the initialised cipher
     */
    public Cipher cipher() {
        return cipher;
    }

    @Override
    public String toString() {
        return "EnvelopeEncryption[V3]";
    }
}
