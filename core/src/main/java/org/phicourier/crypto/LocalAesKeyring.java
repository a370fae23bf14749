package org.phicourier.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;

/**
 * A keyring whose AES-256 master key is held by the caller, for example in a file or a secret
 * store. Data keys are wrapped with AES-256-GCM as the Amazon S3 Encryption Client does, so that
 * client can read the objects with the same master key.
 *
 * <p>The master key is copied in and never returned or printed; its id is a keyed fingerprint,
 * {@code local-aes:} followed by 16 hex digits. Unlike KMS, this wrapping does not bind a data key
 * to its object. Instances are thread-safe.
 */
public final class LocalAesKeyring implements Keyring {
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] masterKey;
    private final String keyId;

    private LocalAesKeyring(byte[] masterKey) {
        this.masterKey = masterKey;
        this.keyId = "local-aes:" + fingerprint(masterKey);
    }

    /**
     * Creates a keyring from master key bytes.
     *
     * @param masterKey 32 bytes; copied
     * @return the keyring
     * @throws ConfigurationException when the key is not 32 bytes long
     */
    public static LocalAesKeyring of(byte[] masterKey) {
        if (masterKey.length != KEY_BYTES) {
            throw new ConfigurationException("an AES-256 master key must be 32 bytes long, not "
                    + masterKey.length);
        }
        return new LocalAesKeyring(masterKey.clone());
    }

    /**
     * Loads a master key from a file holding its 32 bytes in Base64 on one line.
     *
     * @param file the key file
     * @return the keyring
     * @throws ConfigurationException when the file is missing, unreadable or malformed; the
     *     message names the file, never its content
     */
    public static LocalAesKeyring fromFile(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read master key file " + file);
        }
        byte[] key = null;
        try {
            key = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
            return of(key);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("master key file " + file
                    + " must hold 32 bytes in Base64 on one line");
        } finally {
            Arrays.fill(raw, (byte) 0);
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public DataKey generateDataKey(EnvelopeVersion version, Map<String, String> context) {
        byte[] dataKey = new byte[KEY_BYTES];
        RANDOM.nextBytes(dataKey);
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, version);
            byte[] wrapped = cipher.doFinal(dataKey);
            byte[] stored = new byte[IV_BYTES + wrapped.length];
            System.arraycopy(iv, 0, stored, 0, IV_BYTES);
            System.arraycopy(wrapped, 0, stored, IV_BYTES, wrapped.length);
            return DataKey.of(dataKey, EncryptedDataKey.of(WrapAlgorithm.AES_GCM, stored, Map.of()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM key wrapping failed", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public byte[] decryptDataKey(EncryptedDataKey key, EnvelopeVersion version,
            Map<String, String> context) {
        if (key.algorithm() != WrapAlgorithm.AES_GCM) {
            throw new IntegrityException("data key is wrapped with " + key.algorithm()
                    + ", not with the local AES master key " + keyId);
        }
        byte[] stored = key.ciphertext();
        if (stored.length <= IV_BYTES + TAG_BITS / 8) {
            throw new IntegrityException("wrapped data key is too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(stored, IV_BYTES), version);
            return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new IntegrityException("data key cannot be unwrapped with master key " + keyId
                    + ": wrong master key or altered wrapped key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM key unwrapping failed", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, EnvelopeVersion version)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(version.suiteText().getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static String fingerprint(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal("phi-courier/key-id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Shows the key id only. */
    @Override
    public String toString() {
        return "LocalAesKeyring[" + keyId + "]";
    }
}
