package org.phicourier.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.internal.KeyMaterial;
import org.phicourier.crypto.internal.PemKeys;

/**
 * A keyring whose master key is a local RSA key pair of 2048 to 4096 bits. Data keys are wrapped
 * with RSA-OAEP (SHA-1 digest, MGF1 with SHA-1, empty label) over one length byte, the data key
 * and the content algorithm's name, as the Amazon S3 Encryption Client does (wrap algorithm
 * {@code 22} / {@code RSA-OAEP-SHA1}), so that client reads the objects with the same key pair.
 * It also unwraps the legacy {@code RSA} and {@code RSA/ECB/OAEPWithSHA-256AndMGF1Padding} wraps,
 * when the reader allows legacy key wraps.
 *
 * <p>A keyring with only a public key wraps (writes) but cannot unwrap (read). The key id is
 * {@code local-rsa:} followed by 16 hex digits of the SHA-256 of the public key. The private key
 * is never printed; PEM text and decoded bytes are overwritten once parsed, but the JDK keeps the
 * key's numbers in immutable objects that cannot be overwritten: protect the process memory.
 * Instances are thread-safe.
 */
public final class LocalRsaKeyring implements Keyring {
    /** The smallest accepted modulus, in bits. */
    public static final int MIN_BITS = 2048;
    /** The largest accepted modulus, in bits. */
    public static final int MAX_BITS = 4096;
    private static final OAEPParameterSpec OAEP_SHA1 = new OAEPParameterSpec("SHA-1", "MGF1",
            MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);

    private final Optional<PrivateKey> privateKey;
    private final Optional<PublicKey> publicKey;
    private final Optional<Provider> provider;
    private final String keyId;
    private final Map<String, String> description;

    private LocalRsaKeyring(Builder builder) {
        this.privateKey = builder.privateKey;
        this.publicKey = builder.publicKey;
        this.provider = builder.provider;
        this.keyId = builder.keyId.orElseGet(() -> "local-rsa:"
                + KeyMaterial.publicFingerprint(builder.publicKey.get().getEncoded()));
        this.description = builder.description;
    }

    /**
     * Loads a key from a PEM file: an unencrypted private key (PKCS#8 {@code PRIVATE KEY} or
     * PKCS#1 {@code RSA PRIVATE KEY}) to read and write, or a public key ({@code PUBLIC KEY} or
     * {@code RSA PUBLIC KEY}) to write only.
     *
     * @param file the PEM file
     * @return the keyring
     * @throws ConfigurationException when the file is missing, malformed, encrypted, or the key
     *     is not 2048 to 4096 bits; the message names the file, never its content
     */
    public static LocalRsaKeyring fromPem(Path file) {
        PemKeys.RsaKeys keys = PemKeys.read(file);
        Builder builder = builder().publicKey(keys.publicKey());
        keys.privateKey().ifPresent(builder::privateKey);
        return builder.build();
    }

    /**
     * Starts building a keyring, for keys held in a JCE provider or a key store.
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
        PublicKey key = publicKey.orElseThrow(() -> new ConfigurationException("RSA keyring "
                + keyId + " has no public key and cannot wrap data keys"));
        byte[] name = suite.cipherName().getBytes(StandardCharsets.UTF_8);
        byte[] pseudoKey = new byte[1 + dataKey.length + name.length];
        pseudoKey[0] = (byte) dataKey.length;
        System.arraycopy(dataKey, 0, pseudoKey, 1, dataKey.length);
        System.arraycopy(name, 0, pseudoKey, 1 + dataKey.length, name.length);
        try {
            Cipher cipher = cipher("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, OAEP_SHA1);
            return EncryptedDataKey.of(WrapAlgorithm.RSA_OAEP_SHA1, cipher.doFinal(pseudoKey),
                    description);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("RSA-OAEP key wrapping with " + keyId + " failed: "
                    + e.getClass().getSimpleName());
        } finally {
            KeyMaterial.zero(pseudoKey);
        }
    }

    @Override
    public byte[] decryptDataKey(EncryptedDataKey key, AlgorithmSuite suite,
            Map<String, String> context) {
        switch (key.algorithm()) {
            case RSA_OAEP_SHA1:
                return fromPseudoKey(decrypt(key, "RSA/ECB/OAEPPadding", true), suite);
            case RSA_PKCS1:
                return decrypt(key, "RSA/ECB/PKCS1Padding", false);
            case RSA_OAEP_SHA256:
                return decrypt(key, "RSA/ECB/OAEPWithSHA-256AndMGF1Padding", false);
            default:
                throw new IntegrityException("data key is wrapped with " + key.algorithm()
                        + ", not with the RSA key " + keyId);
        }
    }

    @Override
    public boolean canDecrypt(WrapAlgorithm algorithm) {
        return privateKey.isPresent() && (algorithm == WrapAlgorithm.RSA_OAEP_SHA1
                || algorithm == WrapAlgorithm.RSA_PKCS1
                || algorithm == WrapAlgorithm.RSA_OAEP_SHA256);
    }

    private byte[] decrypt(EncryptedDataKey key, String transformation, boolean sha1Oaep) {
        PrivateKey secret = privateKey.orElseThrow(() -> new ConfigurationException(
                "RSA keyring " + keyId + " has only a public key and cannot unwrap data keys"));
        try {
            Cipher cipher = cipher(transformation);
            if (sha1Oaep) {
                cipher.init(Cipher.DECRYPT_MODE, secret, OAEP_SHA1);
            } else {
                cipher.init(Cipher.DECRYPT_MODE, secret);
            }
            return cipher.doFinal(key.ciphertext());
        } catch (BadPaddingException | IllegalBlockSizeException | InvalidKeyException e) {
            throw new IntegrityException("data key cannot be unwrapped with RSA key " + keyId
                    + ": wrong key or altered wrapped key");
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("RSA key unwrapping with " + keyId + " failed: "
                    + e.getClass().getSimpleName());
        }
    }

    private byte[] fromPseudoKey(byte[] pseudoKey, AlgorithmSuite suite) {
        try {
            int length = pseudoKey.length == 0 ? 0 : pseudoKey[0];
            byte[] name = suite.cipherName().getBytes(StandardCharsets.UTF_8);
            boolean fits = length == DataKey.LENGTH && pseudoKey.length == 1 + length + name.length
                    && Arrays.equals(Arrays.copyOfRange(pseudoKey, 1 + length, pseudoKey.length),
                            name);
            if (!fits) {
                throw new IntegrityException("RSA-wrapped data key does not name the object's"
                        + " content algorithm: the metadata was altered");
            }
            return Arrays.copyOfRange(pseudoKey, 1, 1 + length);
        } finally {
            KeyMaterial.zero(pseudoKey);
        }
    }

    private Cipher cipher(String transformation) throws GeneralSecurityException {
        return provider.isPresent() ? Cipher.getInstance(transformation, provider.get())
                : Cipher.getInstance(transformation);
    }

    /** Shows the key id only. */
    @Override
    public String toString() {
        return "LocalRsaKeyring[" + keyId + (privateKey.isPresent() ? "" : ", public only")
                + "]";
    }

    /** Builds a {@link LocalRsaKeyring}; mutable and not thread-safe. */
    public static final class Builder {
        private Optional<PrivateKey> privateKey = Optional.empty();
        private Optional<PublicKey> publicKey = Optional.empty();
        private Optional<Provider> provider = Optional.empty();
        private Optional<String> keyId = Optional.empty();
        private Map<String, String> description = Map.of();

        private Builder() {
        }

        /**
         * Sets the private key that unwraps data keys; without it the keyring only wraps.
         *
         * @param key an RSA private key, or a handle to one in a JCE provider (HSM)
         * @return this builder
         */
        public Builder privateKey(PrivateKey key) {
            this.privateKey = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Sets the public key that wraps data keys. Required, unless a {@link #keyId} is given
         * and the keyring only reads.
         *
         * @param key an RSA public key of 2048 to 4096 bits
         * @return this builder
         */
        public Builder publicKey(PublicKey key) {
            this.publicKey = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Sets the JCE provider that runs RSA; the JDK's by default.
         *
         * @param provider for example a SunPKCS11 provider configured for an HSM
         * @return this builder
         */
        public Builder provider(Provider provider) {
            this.provider = Optional.of(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Names the key for logs and reports; by default a fingerprint of the public key.
         *
         * @param keyId an id that reveals nothing secret
         * @return this builder
         */
        public Builder keyId(String keyId) {
            this.keyId = Optional.of(Objects.requireNonNull(keyId, "keyId"));
            return this;
        }

        /**
         * Sets the materials description stored with each wrapped key; none by default. It is
         * plaintext: printable ASCII, no PHI.
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
         * Builds the keyring.
         *
         * @return the keyring
         * @throws ConfigurationException when no key is given, the public key is not RSA of 2048
         *     to 4096 bits, or a keyring without a public key has no key id
         */
        public LocalRsaKeyring build() {
            if (privateKey.isEmpty() && publicKey.isEmpty()) {
                throw new ConfigurationException("a local RSA keyring needs a private or a"
                        + " public key");
            }
            if (publicKey.isEmpty() && keyId.isEmpty()) {
                throw new ConfigurationException("a local RSA keyring without a public key"
                        + " needs a keyId");
            }
            publicKey.ifPresent(Builder::checkSize);
            return new LocalRsaKeyring(this);
        }

        private static void checkSize(PublicKey key) {
            if (!(key instanceof RSAPublicKey)) {
                throw new ConfigurationException("the public key is " + key.getAlgorithm()
                        + ", not RSA");
            }
            int bits = ((RSAPublicKey) key).getModulus().bitLength();
            if (bits < MIN_BITS || bits > MAX_BITS) {
                throw new ConfigurationException("an RSA master key must have 2048 to 4096 bits,"
                        + " not " + bits);
            }
        }
    }
}
