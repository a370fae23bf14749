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
import org.phicourier.crypto.AlgorithmSuite;
import org.phicourier.crypto.DataKey;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.WrapAlgorithm;

/**
 * Encrypts one object in a format of the S3 Encryption Client. V3 (key-committing): a fresh data
 * key and message id, an HKDF-derived content key, AES-256-GCM with the fixed IV the format
 * prescribes. V2: AES-256-GCM directly under the data key with a random IV. In both the tag is
 * appended after the last byte. Not thread-safe.
 */
public final class EnvelopeEncryption {
    static final byte[] FIXED_IV = fixedIv();
    static final int TAG_BITS = 128;
    private static final int V2_IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EnvelopeVersion version;
    private final EncryptedDataKey dataKey;
    private final Map<String, String> envelope;
    private final Cipher cipher;

    private EnvelopeEncryption(EnvelopeVersion version, EncryptedDataKey dataKey,
            Map<String, String> envelope, Cipher cipher) {
        this.version = version;
        this.dataKey = dataKey;
        this.envelope = envelope;
        this.cipher = cipher;
    }

    /**
     * Creates the keys and metadata of a new V3 object.
     *
     * @param keyring wraps the data key
     * @param context names the object for the keyring (bucket, key, stream)
     * @return the encryption, ready for the object's bytes
     */
    public static EnvelopeEncryption begin(Keyring keyring, Map<String, String> context) {
        return begin(keyring, context, EnvelopeVersion.V3);
    }

    /**
     * Creates the keys and metadata of a new object.
     *
     * @param keyring wraps the data key
     * @param context names the object for the keyring (bucket, key, stream)
     * @param version the format to write
     * @return the encryption, ready for the object's bytes
     */
    public static EnvelopeEncryption begin(Keyring keyring, Map<String, String> context,
            EnvelopeVersion version) {
        try (DataKey dataKey = keyring.generateDataKey(version.suite(), context)) {
            byte[] plaintext = dataKey.plaintext();
            try {
                return version == EnvelopeVersion.V3 ? v3(dataKey.encrypted(), plaintext)
                        : v2(dataKey.encrypted(), plaintext);
            } finally {
                KeyMaterial.zero(plaintext);
            }
        }
    }

    private static EnvelopeEncryption v3(EncryptedDataKey key, byte[] dataKey) {
        byte[] messageId = new byte[CommittingKeys.MESSAGE_ID_BYTES];
        RANDOM.nextBytes(messageId);
        byte[] contentKey = CommittingKeys.contentKey(dataKey, messageId);
        byte[] commitment = CommittingKeys.commitment(dataKey, messageId);
        try {
            return new EnvelopeEncryption(EnvelopeVersion.V3, key,
                    v3Entries(key, messageId, commitment),
                    cipher(contentKey, FIXED_IV, CommittingKeys.SUITE_ID));
        } finally {
            KeyMaterial.zero(contentKey);
        }
    }

    private static EnvelopeEncryption v2(EncryptedDataKey key, byte[] dataKey) {
        byte[] iv = new byte[V2_IV_BYTES];
        RANDOM.nextBytes(iv);
        return new EnvelopeEncryption(EnvelopeVersion.V2, key,
                v2Entries(key, iv, AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF),
                cipher(dataKey, iv, new byte[0]));
    }

    static Map<String, String> v3Entries(EncryptedDataKey key, byte[] messageId,
            byte[] commitment) {
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, String> metadata = new HashMap<>();
        metadata.put(MetadataKeys.CONTENT_CIPHER_V3,
                AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY.cipherName());
        metadata.put(MetadataKeys.ENCRYPTED_DATA_KEY_V3, base64.encodeToString(key.ciphertext()));
        metadata.put(MetadataKeys.WRAP_ALGORITHM_V3, key.algorithm().v3Code());
        metadata.put(MetadataKeys.KEY_COMMITMENT_V3, base64.encodeToString(commitment));
        metadata.put(MetadataKeys.MESSAGE_ID_V3, base64.encodeToString(messageId));
        if (key.algorithm() == WrapAlgorithm.KMS_CONTEXT) {
            metadata.put(MetadataKeys.ENCRYPTION_CONTEXT_V3,
                    MetadataKeys.toJson(key.description()));
        } else if (!key.description().isEmpty()) {
            metadata.put(MetadataKeys.MATERIALS_DESCRIPTION_V3,
                    MetadataKeys.toJson(key.description()));
        }
        return Map.copyOf(metadata);
    }

    static Map<String, String> v2Entries(EncryptedDataKey key, byte[] iv, AlgorithmSuite suite) {
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, String> metadata = new HashMap<>();
        metadata.put(MetadataKeys.ENCRYPTED_DATA_KEY_V2, base64.encodeToString(key.ciphertext()));
        metadata.put(MetadataKeys.CONTENT_IV, base64.encodeToString(iv));
        metadata.put(MetadataKeys.CONTENT_CIPHER, suite.cipherName());
        metadata.put(MetadataKeys.TAG_LENGTH, Integer.toString(TAG_BITS));
        metadata.put(MetadataKeys.WRAP_ALGORITHM, key.algorithm().v2Name());
        metadata.put(MetadataKeys.MATERIALS_DESCRIPTION, MetadataKeys.toJson(key.description()));
        return Map.copyOf(metadata);
    }

    private static Cipher cipher(byte[] key, byte[] iv, byte[] aad) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, iv));
            if (aad.length > 0) {
                cipher.updateAAD(aad);
            }
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
     * Returns every envelope entry, as if all were stored on the object; see
     * {@link EnvelopeLayout} for splitting them off into an instruction file.
     *
     * @return the entries, without the {@code x-amz-meta-} prefix
     */
    public Map<String, String> metadata() {
        return envelope;
    }

    /**
     * Returns the wrapped data key.
     *
     * @return the wrapped key
     */
    public EncryptedDataKey dataKey() {
        return dataKey;
    }

    /**
     * Returns the format being written.
     *
     * @return the version
     */
    public EnvelopeVersion version() {
        return version;
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
        return "EnvelopeEncryption[" + version + ", " + dataKey.algorithm() + "]";
    }
}
