package org.phicourier.crypto;

import java.util.Map;

/**
 * Holds a master key and wraps and unwraps the per-object data keys under it.
 *
 * <p>A keyring never exposes its master key and never prints it. The encryption context passed
 * in names the object (bucket, object key and stream); a keyring that can bind a wrapped key to
 * its context (KMS) must do so and must refuse to unwrap under any other context. Implementations
 * are thread-safe.
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
     * Creates a fresh 256-bit data key and wraps it.
     *
     * @param version the envelope format the key will encrypt
     * @param encryptionContext names of the object it will encrypt; ASCII, no PHI
     * @return the plaintext key and its wrapped form
     * @throws org.phicourier.ConfigurationException when the master key is missing or refused
     */
    DataKey generateDataKey(EnvelopeVersion version, Map<String, String> encryptionContext);

    /**
     * Unwraps a stored data key.
     *
     * @param key the wrapped key as stored
     * @param version the envelope format of the object
     * @param encryptionContext names of the object being read, exactly as when it was written
     * @return the 32 plaintext key bytes; the caller overwrites them after use
     * @throws org.phicourier.IntegrityException when the key cannot be unwrapped with this
     *     keyring or under this context
     */
    byte[] decryptDataKey(EncryptedDataKey key, EnvelopeVersion version,
            Map<String, String> encryptionContext);

    /**
     * Checks that the master key exists and is usable, before any record is read.
     *
     * @throws org.phicourier.ConfigurationException when it is missing, disabled or refused
     */
    default void verify() {
    }
}
