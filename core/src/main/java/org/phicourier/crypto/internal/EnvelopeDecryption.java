package org.phicourier.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.PhiCourierException;
import org.phicourier.SinkException;
import org.phicourier.SourceException;
import org.phicourier.crypto.AlgorithmSuite;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.Keyring;

/**
 * Checks an object's envelope against the reader's policy, unwraps its data key, verifies the key
 * commitment in constant time (V3), and hands out ciphers that decrypt its body. Not thread-safe;
 * call {@link #destroy()} when done.
 */
public final class EnvelopeDecryption {
    private final String objectKey;
    private final AlgorithmSuite suite;
    private final byte[] contentKey;
    private final byte[] iv;

    private EnvelopeDecryption(String objectKey, AlgorithmSuite suite, byte[] contentKey,
            byte[] iv) {
        this.objectKey = objectKey;
        this.suite = suite;
        this.contentKey = contentKey;
        this.iv = iv;
    }

    /**
     * Prepares decryption of a V3 object from its metadata with the strict policy.
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
        return open(ContentMetadata.parse(objectKey, metadata, Optional.empty()), keyring,
                context, ReadPolicy.STRICT);
    }

    /**
     * Prepares decryption of an object.
     *
     * @param envelope the object's envelope
     * @param keyring unwraps the data key
     * @param context names of the object, exactly as when it was written
     * @param policy what the reader accepts
     * @return the prepared decryption
     * @throws IntegrityException when the policy refuses the object, the key cannot be unwrapped
     *     or the commitment fails; other {@link PhiCourierException}s from the keyring are
     *     rethrown with the object key added
     */
    public static EnvelopeDecryption open(ContentMetadata envelope, Keyring keyring,
            Map<String, String> context, ReadPolicy policy) {
        check(envelope, keyring, policy);
        byte[] dataKey = unwrap(envelope, keyring, context);
        try {
            if (envelope.format() != ContentMetadata.Format.V3) {
                return new EnvelopeDecryption(envelope.objectKey(), envelope.suite(),
                        dataKey.clone(), envelope.iv());
            }
            byte[] messageId = envelope.messageId();
            byte[] expected = CommittingKeys.commitment(dataKey, messageId);
            if (!MessageDigest.isEqual(expected, envelope.commitment())) {
                throw new IntegrityException("object '" + envelope.objectKey()
                        + "': key commitment check failed");
            }
            return new EnvelopeDecryption(envelope.objectKey(), envelope.suite(),
                    CommittingKeys.contentKey(dataKey, messageId), EnvelopeEncryption.FIXED_IV);
        } finally {
            KeyMaterial.zero(dataKey);
        }
    }

    /**
     * Unwraps an object's data key after the policy checks, adding the object key to failures.
     *
     * @param envelope the object's envelope
     * @param keyring unwraps the data key
     * @param context names of the object
     * @param policy what the reader accepts
     * @return the data key; the caller overwrites it
     */
    public static byte[] unwrapChecked(ContentMetadata envelope, Keyring keyring,
            Map<String, String> context, ReadPolicy policy) {
        check(envelope, keyring, policy);
        return unwrap(envelope, keyring, context);
    }

    /**
     * Checks that a data key belongs to a V3 envelope, by its commitment; other formats pass.
     *
     * @param envelope the envelope
     * @param dataKey the unwrapped key
     * @throws IntegrityException when the commitment does not match
     */
    public static void checkCommitment(ContentMetadata envelope, byte[] dataKey) {
        if (envelope.format() == ContentMetadata.Format.V3 && !MessageDigest.isEqual(
                CommittingKeys.commitment(dataKey, envelope.messageId()),
                envelope.commitment())) {
            throw new IntegrityException("object '" + envelope.objectKey()
                    + "': key commitment check failed");
        }
    }

    private static void check(ContentMetadata envelope, Keyring keyring, ReadPolicy policy) {
        String key = envelope.objectKey();
        if (!envelope.suite().isCommitting() && !envelope.suite().isLegacy()
                && policy.commitmentPolicy() == CommitmentPolicy.REQUIRE_COMMITMENT) {
            throw new IntegrityException("object '" + key + "' is in the non-committing V2"
                    + " format, which the commitment policy REQUIRE_COMMITMENT refuses; read it"
                    + " with ALLOW_NON_COMMITTING (commitment policy check)");
        }
        if (envelope.suite().isLegacy() && !policy.allowLegacyContent()) {
            throw new IntegrityException("object '" + key + "' uses the legacy unauthenticated "
                    + envelope.suite().cipherName() + " content algorithm; read it only with"
                    + " allowLegacyContent (legacy content check)");
        }
        if (envelope.dataKey().algorithm().isLegacy() && !policy.allowLegacyKeyWraps()) {
            throw new IntegrityException("object '" + key + "': its data key uses the legacy "
                    + envelope.dataKey().algorithm().v2Name() + " wrap; read it only with"
                    + " allowLegacyKeyWraps (legacy key wrap check)");
        }
        if (!keyring.canDecrypt(envelope.dataKey().algorithm())) {
            throw new IntegrityException("object '" + key + "': its data key is wrapped with "
                    + envelope.dataKey().algorithm() + ", which keyring " + keyring.keyId()
                    + " cannot unwrap (wrong keyring)");
        }
    }

    private static byte[] unwrap(ContentMetadata envelope, Keyring keyring,
            Map<String, String> context) {
        byte[] dataKey;
        try {
            dataKey = keyring.decryptDataKey(envelope.dataKey(), envelope.suite(), context);
        } catch (PhiCourierException e) {
            throw withObjectKey(envelope.objectKey(), e);
        }
        if (dataKey.length != 32) {
            KeyMaterial.zero(dataKey);
            throw new IntegrityException("object '" + envelope.objectKey()
                    + "': the unwrapped data key is not 32 bytes long");
        }
        return dataKey;
    }

    /**
     * Rethrows a failure with the object key in front of its message, keeping its type.
     *
     * @param objectKey the object's key
     * @param e the failure
     * @return the same kind of exception, naming the object
     */
    public static PhiCourierException withObjectKey(String objectKey, PhiCourierException e) {
        String message = "object '" + objectKey + "': " + e.getMessage();
        if (e instanceof IntegrityException) {
            return new IntegrityException(message, e);
        }
        if (e instanceof ConfigurationException) {
            return new ConfigurationException(message, e);
        }
        if (e instanceof SinkException) {
            return new SinkException(message, e);
        }
        if (e instanceof SourceException) {
            return new SourceException(message, e);
        }
        return new PhiCourierException(message, e);
    }

    /**
     * Creates a cipher that decrypts the object's body from its first byte.
     *
     * @return a fresh cipher; its final call verifies the tag (GCM) or padding (CBC)
     */
    public ContentCipher newCipher() {
        if (suite == AlgorithmSuite.AES_256_CBC_IV16_NO_KDF) {
            return new CbcCipher(contentKey, iv);
        }
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        byte[] aad = suite.isCommitting() ? CommittingKeys.SUITE_ID : new byte[0];
        cipher.init(false, new AEADParameters(new KeyParameter(contentKey),
                EnvelopeEncryption.TAG_BITS, iv, aad));
        return new GcmCipher(cipher);
    }

    /**
     * Returns the content algorithm.
     *
     * @return the suite
     */
    public AlgorithmSuite suite() {
        return suite;
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
        KeyMaterial.zero(contentKey);
    }

    @Override
    public String toString() {
        return "EnvelopeDecryption[" + objectKey + ", " + suite + "]";
    }

    /** Bouncy Castle's GCM, which streams plaintext out and holds back only the tag. */
    private static final class GcmCipher implements ContentCipher {
        private final GCMModeCipher cipher;

        GcmCipher(GCMModeCipher cipher) {
            this.cipher = cipher;
        }

        @Override
        public int updateOutputSize(int length) {
            return cipher.getUpdateOutputSize(length);
        }

        @Override
        public int update(byte[] in, int offset, int length, byte[] out, int outOffset) {
            return cipher.processBytes(in, offset, length, out, outOffset);
        }

        @Override
        public int doFinal(byte[] out, int outOffset) throws GeneralSecurityException {
            try {
                return cipher.doFinal(out, outOffset);
            } catch (InvalidCipherTextException e) {
                throw new GeneralSecurityException("tag mismatch");
            }
        }

        @Override
        public boolean authenticates() {
            return true;
        }

        @Override
        public String checkName() {
            return "authentication tag";
        }
    }

    /** The JDK's AES-CBC, for legacy objects. */
    private static final class CbcCipher implements ContentCipher {
        private final Cipher cipher;

        CbcCipher(byte[] key, byte[] iv) {
            try {
                cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                        new IvParameterSpec(iv));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CBC is not available", e);
            }
        }

        @Override
        public int updateOutputSize(int length) {
            return cipher.getOutputSize(length);
        }

        @Override
        public int update(byte[] in, int offset, int length, byte[] out, int outOffset) {
            try {
                return cipher.update(in, offset, length, out, outOffset);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CBC buffer too small", e);
            }
        }

        @Override
        public int doFinal(byte[] out, int outOffset) throws GeneralSecurityException {
            return cipher.doFinal(out, outOffset);
        }

        @Override
        public boolean authenticates() {
            return false;
        }

        @Override
        public String checkName() {
            return "CBC padding";
        }
    }
}
