package org.phicourier.crypto;

import java.util.Map;
import java.util.Objects;

/**
 * A data key as stored beside an object: wrapped, with the algorithm and the description or
 * encryption context it was wrapped with.
 *
 * <p>The wrapped bytes are safe to store but are never printed. Instances are immutable and
 * thread-safe.
 */
public final class EncryptedDataKey {
    private final WrapAlgorithm algorithm;
    private final byte[] ciphertext;
    private final Map<String, String> description;

    private EncryptedDataKey(WrapAlgorithm algorithm, byte[] ciphertext,
            Map<String, String> description) {
        this.algorithm = algorithm;
        this.ciphertext = ciphertext;
        this.description = description;
    }

    /**
     * Creates a wrapped data key.
     *
     * @param algorithm how it was wrapped
     * @param ciphertext the wrapped key bytes; copied
     * @param description the materials description (local keys) or the full encryption context
     *     including reserved entries (KMS); stored in plaintext, so it must not hold PHI
     * @return the wrapped key
     */
    public static EncryptedDataKey of(WrapAlgorithm algorithm, byte[] ciphertext,
            Map<String, String> description) {
        return new EncryptedDataKey(Objects.requireNonNull(algorithm, "algorithm"),
                ciphertext.clone(), Map.copyOf(description));
    }

    /**
     * Returns how the key was wrapped.
     *
     * @return the algorithm
     */
    public WrapAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Returns a copy of the wrapped key bytes.
     *
     * @return the wrapped bytes
     */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /**
     * Returns the description or encryption context stored with the key.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> description() {
        return description;
    }

    @Override
    public String toString() {
        return "EncryptedDataKey[" + algorithm + ", " + ciphertext.length + " bytes]";
    }
}
