package org.phicourier.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.internal.KeyMaterial;

/**
 * A keyring whose AES-256 master key is held by the caller: in a file, a secret store, or an HSM
 * reached through a JCE provider. Data keys are wrapped with AES-256-GCM as the Amazon S3
 * Encryption Client does (wrap algorithm {@code 02} / {@code AES/GCM}), so that client reads the
 * objects with the same master key. It also unwraps the legacy {@code AESWrap} and {@code AES}
 * wraps, when the reader allows legacy key wraps.
 *
 * <p>Key bytes are copied in, never returned or printed, and overwritten by {@link #close()};
 * the key id is a keyed fingerprint, {@code local-aes:} followed by 16 hex digits, unless the
 * key is an HSM handle, whose id the caller names. Unlike KMS, this wrapping does not bind a data
 * key to its object. Instances are thread-safe.
 */
public final class LocalAesKeyring implements Keyring, AutoCloseable {
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] rawKey;
    private final Optional<SecretKey> handle;
    private final Optional<Provider> provider;
    private final String keyId;
    private final Map<String, String> description;
    private volatile boolean closed;

    private LocalAesKeyring(Builder builder) {
        this.rawKey = builder.rawKey;
        this.handle = builder.handle;
        this.provider = builder.provider;
        this.keyId = builder.keyId.orElseGet(() -> "local-aes:"
                + KeyMaterial.secretFingerprint(rawKey));
        this.description = builder.description;
    }

    /**
     * Creates a keyring from master key bytes.
     *
     * @param masterKey 32 bytes; copied, so the caller should overwrite its own array
     * @return the keyring
     * @throws ConfigurationException when the key is not 32 bytes long
     */
    public static LocalAesKeyring of(byte[] masterKey) {
        return builder().key(masterKey).build();
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
        byte[] raw = KeyMaterial.readKeyFile(file, "master key");
        byte[] key = new byte[0];
        try {
            key = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException();
            }
            return of(key);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("master key file " + file
                    + " must hold 32 bytes in Base64 on one line");
        } finally {
            KeyMaterial.zero(raw, key);
        }
    }

    /**
     * Starts building a keyring, for a key handle, a provider or a materials description.
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
    public Map<String, String> description() {
        return description;
    }

    @Override
    public EncryptedDataKey encryptDataKey(byte[] dataKey, AlgorithmSuite suite,
            Map<String, String> context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = gcm(Cipher.ENCRYPT_MODE, iv, suite);
            byte[] wrapped = cipher.doFinal(dataKey);
            byte[] stored = new byte[IV_BYTES + wrapped.length];
            System.arraycopy(iv, 0, stored, 0, IV_BYTES);
            System.arraycopy(wrapped, 0, stored, IV_BYTES, wrapped.length);
            return EncryptedDataKey.of(WrapAlgorithm.AES_GCM, stored, description);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("AES-GCM key wrapping with master key " + keyId
                    + " failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public byte[] decryptDataKey(EncryptedDataKey key, AlgorithmSuite suite,
            Map<String, String> context) {
        switch (key.algorithm()) {
            case AES_GCM:
                return unwrapGcm(key.ciphertext(), suite);
            case AES_WRAP:
                return unwrapLegacy(key.ciphertext(), "AESWrap");
            case AES_ECB:
                return unwrapLegacy(key.ciphertext(), "AES/ECB/PKCS5Padding");
            default:
                throw new IntegrityException("data key is wrapped with " + key.algorithm()
                        + ", not with the local AES master key " + keyId);
        }
    }

    @Override
    public boolean canDecrypt(WrapAlgorithm algorithm) {
        return algorithm == WrapAlgorithm.AES_GCM || algorithm == WrapAlgorithm.AES_WRAP
                || algorithm == WrapAlgorithm.AES_ECB;
    }

    private byte[] unwrapGcm(byte[] stored, AlgorithmSuite suite) {
        if (stored.length != IV_BYTES + KEY_BYTES + TAG_BITS / 8) {
            throw new IntegrityException("AES-GCM wrapped data key has the wrong length");
        }
        try {
            Cipher cipher = gcm(Cipher.DECRYPT_MODE, Arrays.copyOf(stored, IV_BYTES), suite);
            return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new IntegrityException("data key cannot be unwrapped with master key " + keyId
                    + ": wrong master key, or altered wrapped key or content algorithm");
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("AES-GCM key unwrapping with master key " + keyId
                    + " failed: " + e.getClass().getSimpleName());
        }
    }

    private byte[] unwrapLegacy(byte[] stored, String transformation) {
        try {
            Cipher cipher = cipher(transformation);
            if (transformation.equals("AESWrap")) {
                cipher.init(Cipher.UNWRAP_MODE, key());
                return cipher.unwrap(stored, "AES", Cipher.SECRET_KEY).getEncoded();
            }
            cipher.init(Cipher.DECRYPT_MODE, key());
            return cipher.doFinal(stored);
        } catch (BadPaddingException | IllegalBlockSizeException
                | java.security.InvalidKeyException e) {
            throw new IntegrityException("legacy " + transformation + " data key cannot be"
                    + " unwrapped with master key " + keyId + ": wrong key or altered wrapped key");
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(transformation + " key unwrapping failed: "
                    + e.getClass().getSimpleName());
        }
    }

    private Cipher gcm(int mode, byte[] iv, AlgorithmSuite suite)
            throws GeneralSecurityException {
        Cipher cipher = cipher("AES/GCM/NoPadding");
        cipher.init(mode, key(), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(suite.cipherName().getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private Cipher cipher(String transformation) throws GeneralSecurityException {
        return provider.isPresent() ? Cipher.getInstance(transformation, provider.get())
                : Cipher.getInstance(transformation);
    }

    private SecretKey key() {
        if (closed) {
            throw new ConfigurationException("keyring " + keyId + " is closed");
        }
        return handle.orElseGet(() -> new SecretKeySpec(rawKey, "AES"));
    }

    /**
     * Overwrites the copy of the master key bytes this keyring holds; it cannot be used after.
     * An HSM key handle is left to its provider.
     */
    @Override
    public void close() {
        closed = true;
        KeyMaterial.zero(rawKey);
    }

    /** Shows the key id only. */
    @Override
    public String toString() {
        return "LocalAesKeyring[" + keyId + "]";
    }

    /** Builds a {@link LocalAesKeyring}; mutable and not thread-safe. */
    public static final class Builder {
        private byte[] rawKey = new byte[0];
        private Optional<SecretKey> handle = Optional.empty();
        private Optional<Provider> provider = Optional.empty();
        private Optional<String> keyId = Optional.empty();
        private Map<String, String> description = Map.of();

        private Builder() {
        }

        /**
         * Sets the master key bytes. Give this or {@link #keyHandle}.
         *
         * @param masterKey 32 bytes; copied
         * @return this builder
         */
        public Builder key(byte[] masterKey) {
            KeyMaterial.zero(rawKey);
            this.rawKey = masterKey.clone();
            return this;
        }

        /**
         * Sets a key that stays inside a JCE provider, such as a PKCS#11 HSM key that cannot be
         * exported. Give this or {@link #key}; requires {@link #keyId}.
         *
         * @param key an AES-256 key usable for AES-GCM (and AESWrap, for legacy objects)
         * @return this builder
         */
        public Builder keyHandle(SecretKey key) {
            this.handle = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Sets the JCE provider that runs the ciphers; the JDK's by default.
         *
         * @param provider for example a SunPKCS11 provider configured for an HSM
         * @return this builder
         */
        public Builder provider(Provider provider) {
            this.provider = Optional.of(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Names the key for logs and reports; by default a fingerprint of the key bytes.
         * Required with {@link #keyHandle}.
         *
         * @param keyId an id that reveals nothing about the key
         * @return this builder
         */
        public Builder keyId(String keyId) {
            this.keyId = Optional.of(Objects.requireNonNull(keyId, "keyId"));
            return this;
        }

        /**
         * Sets the materials description stored with each wrapped key ({@code x-amz-m} /
         * {@code x-amz-matdesc}); none by default. It is plaintext: printable ASCII, no PHI.
         * An S3 Encryption Client that reads the objects must be given the same description.
         *
         * @param description the entries
         * @return this builder
         */
        public Builder description(Map<String, String> description) {
            this.description = KeyMaterial.checkedDescription(description,
                    "materials description");
            return this;
        }

        /**
         * Builds the keyring and overwrites the builder's copy of the key bytes.
         *
         * @return the keyring
         * @throws ConfigurationException when neither or both of key and key handle are given,
         *     the key is not 32 bytes, or a key handle has no key id
         */
        public LocalAesKeyring build() {
            boolean bytes = rawKey.length > 0;
            if (bytes == handle.isPresent()) {
                throw new ConfigurationException("a local AES keyring needs exactly one of key"
                        + " bytes and a key handle");
            }
            if (bytes && rawKey.length != KEY_BYTES) {
                throw new ConfigurationException("an AES-256 master key must be 32 bytes long,"
                        + " not " + rawKey.length);
            }
            if (handle.isPresent() && keyId.isEmpty()) {
                throw new ConfigurationException("a local AES keyring with a key handle needs a"
                        + " keyId");
            }
            LocalAesKeyring keyring = new LocalAesKeyring(this);
            rawKey = new byte[0];
            return keyring;
        }
    }
}
