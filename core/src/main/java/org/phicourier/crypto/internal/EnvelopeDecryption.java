package org.phicourier.crypto.internal;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.WrapAlgorithm;

/**
 * Checks the envelope metadata of one object, unwraps its data key, verifies the key commitment
 * in constant time, and hands out ciphers that decrypt its body. Not thread-safe; call
 * {@link #destroy()} when done.
 */
public final class EnvelopeDecryption {
    private final String objectKey;
    private final byte[] contentKey;

    private EnvelopeDecryption(String objectKey, byte[] contentKey) {
        this.objectKey = objectKey;
        this.contentKey = contentKey;
    }

    /**
     * Prepares decryption of an object from its metadata.
     *
     * @param objectKey the object's key, for messages
     * @param metadata the object's user metadata without the {@code x-amz-meta-} prefix
     * @param keyring unwraps the data key
     * @param context names of the object, exactly as when it was written
     * @return the prepared decryption
     * @throws IntegrityException when the object is not encrypted, its metadata is malformed or
     *     of an unsupported format, the key cannot be unwrapped, or the commitment fails
     */
    public static EnvelopeDecryption open(String objectKey, Map<String, String> metadata,
            Keyring keyring, Map<String, String> context) {
        V3Fields fields = V3Fields.parse(objectKey, metadata);
        byte[] dataKey = unwrap(objectKey, fields, keyring, context);
        try {
            byte[] expected = CommittingKeys.commitment(dataKey, fields.messageId);
            if (!MessageDigest.isEqual(expected, fields.commitment)) {
                throw new IntegrityException("object '" + objectKey
                        + "': key commitment check failed");
            }
            return new EnvelopeDecryption(objectKey,
                    CommittingKeys.contentKey(dataKey, fields.messageId));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static byte[] unwrap(String objectKey, V3Fields fields, Keyring keyring,
            Map<String, String> context) {
        try {
            return keyring.decryptDataKey(fields.dataKey, EnvelopeVersion.V3, context);
        } catch (IntegrityException e) {
            throw new IntegrityException("object '" + objectKey + "': " + e.getMessage());
        }
    }

    /**
     * Creates a cipher that decrypts the object's body from its first byte.
     *
     * @return a fresh cipher; its final call verifies the tag
     */
    public GCMModeCipher newCipher() {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(false, new AEADParameters(new KeyParameter(contentKey),
                EnvelopeEncryption.TAG_BITS, EnvelopeEncryption.FIXED_IV,
                CommittingKeys.SUITE_ID));
        return cipher;
    }

    /**
     * Returns the key of the object being decrypted.
     *
     * @return the object key
     */
    public String objectKey() {
        return objectKey;
    }

    /** Overwrites the content key. */
    public void destroy() {
        Arrays.fill(contentKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "EnvelopeDecryption[" + objectKey + "]";
    }

    /** The V3 metadata entries, checked and decoded. */
    private static final class V3Fields {
        EncryptedDataKey dataKey;
        byte[] messageId;
        byte[] commitment;

        static V3Fields parse(String objectKey, Map<String, String> metadata) {
            rejectOtherFormats(objectKey, metadata);
            String suite = required(objectKey, metadata, MetadataKeys.CONTENT_CIPHER_V3);
            if (!EnvelopeVersion.V3.suiteText().equals(suite)) {
                throw new IntegrityException("object '" + objectKey
                        + "': unsupported content algorithm suite '" + suite + "'");
            }
            V3Fields fields = new V3Fields();
            WrapAlgorithm wrap = WrapAlgorithm.fromV3Code(
                    required(objectKey, metadata, MetadataKeys.WRAP_ALGORITHM_V3))
                    .orElseThrow(() -> new IntegrityException("object '" + objectKey
                            + "': unknown key wrapping algorithm"));
            fields.dataKey = EncryptedDataKey.of(wrap,
                    base64(objectKey, metadata, MetadataKeys.ENCRYPTED_DATA_KEY_V3),
                    description(objectKey, metadata, wrap));
            fields.messageId = base64(objectKey, metadata, MetadataKeys.MESSAGE_ID_V3);
            fields.commitment = base64(objectKey, metadata, MetadataKeys.KEY_COMMITMENT_V3);
            if (fields.messageId.length != CommittingKeys.MESSAGE_ID_BYTES
                    || fields.commitment.length != CommittingKeys.COMMITMENT_BYTES) {
                throw new IntegrityException("object '" + objectKey
                        + "': message id or key commitment has the wrong length");
            }
            return fields;
        }

        private static void rejectOtherFormats(String objectKey, Map<String, String> metadata) {
            boolean v3 = metadata.containsKey(MetadataKeys.CONTENT_CIPHER_V3);
            boolean older = metadata.containsKey(MetadataKeys.ENCRYPTED_DATA_KEY_V2)
                    || metadata.containsKey(MetadataKeys.ENCRYPTED_DATA_KEY_V1);
            if (v3 && older) {
                throw new IntegrityException("object '" + objectKey
                        + "': metadata mixes envelope formats");
            }
            if (older) {
                throw new IntegrityException("object '" + objectKey
                        + "': envelope format V1/V2 is not supported by this reader");
            }
            if (!v3) {
                throw new IntegrityException("object '" + objectKey
                        + "': object is not encrypted (no envelope metadata)");
            }
        }

        private static Map<String, String> description(String objectKey,
                Map<String, String> metadata, WrapAlgorithm wrap) {
            String name = wrap == WrapAlgorithm.KMS_CONTEXT
                    ? MetadataKeys.ENCRYPTION_CONTEXT_V3 : MetadataKeys.MATERIALS_DESCRIPTION_V3;
            Optional<String> json = Optional.ofNullable(metadata.get(name));
            if (json.isEmpty()) {
                return Map.of();
            }
            return MetadataKeys.fromJson(json.get()).orElseThrow(() -> new IntegrityException(
                    "object '" + objectKey + "': " + name + " is not a JSON object of strings"));
        }

        private static String required(String objectKey, Map<String, String> metadata,
                String name) {
            String value = metadata.get(name);
            if (value == null) {
                throw new IntegrityException("object '" + objectKey + "': metadata " + name
                        + " is missing");
            }
            return value;
        }

        private static byte[] base64(String objectKey, Map<String, String> metadata,
                String name) {
            try {
                return Base64.getDecoder().decode(required(objectKey, metadata, name));
            } catch (IllegalArgumentException e) {
                throw new IntegrityException("object '" + objectKey + "': metadata " + name
                        + " is not Base64");
            }
        }
    }
}
