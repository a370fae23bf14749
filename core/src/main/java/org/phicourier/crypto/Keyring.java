package org.phicourier.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

/**
 * Holds a master key and wraps and unwraps the per-object data keys under it.
 *
 * <p>PHI Courier ships keyrings for AWS KMS ({@code org.phicourier.s3.KmsKeyring}), a local
 * AES-256 key ({@link LocalAesKeyring}), a local RSA key pair ({@link LocalRsaKeyring}) and a
 * combination for key rotation ({@link MultiKeyring}). Callers may implement this interface
 * themselves, for example to reach a vault or an HSM that is not available as a JCE key; such a
 * keyring must produce one of the current {@link WrapAlgorithm}s in its exact S3 Encryption Client
 * form for the official client to read the objects. (An HSM reachable through a JCE provider,
 * such as PKCS#11, is better served by the local keyrings' builders, which accept a key handle
 * and a provider.)
 *
 * <p>Contract for implementations:
 * <ul>
 * <li>never expose or print the master key; {@code toString()} shows the key id only;</li>
 * <li>copy data keys in and out; callers overwrite the arrays they receive;</li>
 * <li>bind the wrapped key to the encryption context where the algorithm can (KMS) and refuse to
 *     unwrap under any other context;</li>
 * <li>bind the wrapped key to the content algorithm suite (as additional data, plaintext suffix
 *     or reserved context entry), so that a changed suite name fails to unwrap;</li>
 * <li>throw {@link org.phicourier.IntegrityException} when a key cannot be unwrapped because it
 *     is altered or belongs to another master key, {@link org.phicourier.ConfigurationException}
 *     when the master key is missing, disabled or refused, and
 *     {@link org.phicourier.SinkException} when a key service fails in a way a retry may cure;
 *     messages name key ids, never key bytes;</li>
 * <li>be thread-safe.</li>
 * </ul>
 */
public interface Keyring {
    /**
     * Returns an id for the master key that is safe to log and to store, such as a KMS key ARN
     * or a fingerprint of a local key.
     *
     * @return the key id
     */
    String keyId();

    /**
     * Returns the materials description stored in plaintext beside objects this keyring wraps
     * (raw keyrings only; KMS stores its encryption context instead).
     *
     * @return an unmodifiable map of ASCII strings without PHI; empty by default
     */
    default Map<String, String> description() {
        return Map.of();
    }

    /**
     * Creates a fresh 256-bit data key and wraps it. The default draws the key from a
     * {@link SecureRandom} and wraps it with {@link #encryptDataKey}.
     *
     * @param suite the content algorithm the key will encrypt with
     * @param encryptionContext names of the object it will encrypt; ASCII, no PHI
     * @return the plaintext key and its wrapped form
     * @throws org.phicourier.ConfigurationException when the master key is missing or refused
     */
    default DataKey generateDataKey(AlgorithmSuite suite, Map<String, String> encryptionContext) {
        byte[] plaintext = new byte[DataKey.LENGTH];
        new SecureRandom().nextBytes(plaintext);
        try {
            return DataKey.of(plaintext, encryptDataKey(plaintext, suite, encryptionContext));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Wraps an existing data key, as key rotation does.
     *
     * @param dataKey the 32 plaintext key bytes; not kept, and not overwritten either
     * @param suite the content algorithm the key encrypts with
     * @param encryptionContext names of the object it encrypts; ASCII, no PHI
     * @return the wrapped key
     * @throws org.phicourier.ConfigurationException when the master key cannot wrap (for example
     *     a local RSA keyring built from a private key it cannot derive a public key from)
     */
    EncryptedDataKey encryptDataKey(byte[] dataKey, AlgorithmSuite suite,
            Map<String, String> encryptionContext);

    /**
     * Unwraps a stored data key.
     *
     * @param key the wrapped key as stored
     * @param suite the content algorithm of the object, as stored
     * @param encryptionContext names of the object being read, exactly as when it was written
     * @return the 32 plaintext key bytes; the caller overwrites them after use
     * @throws org.phicourier.IntegrityException when the key cannot be unwrapped with this
     *     keyring or under this context
     */
    byte[] decryptDataKey(EncryptedDataKey key, AlgorithmSuite suite,
            Map<String, String> encryptionContext);

    /**
     * Tells whether this keyring can try to unwrap keys wrapped with an algorithm. Readers and
     * {@link MultiKeyring} skip keyrings that cannot.
     *
     * @param algorithm the stored wrap algorithm
     * @return true when {@link #decryptDataKey} handles it; true for every algorithm by default
     */
    default boolean canDecrypt(WrapAlgorithm algorithm) {
        return true;
    }

    /**
     * Checks that the master key exists and is usable, before any record is read.
     *
     * @throws org.phicourier.ConfigurationException when it is missing, disabled or refused
     */
    default void verify() {
    }
}
