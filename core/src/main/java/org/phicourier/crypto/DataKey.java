package org.phicourier.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fresh plaintext data key together with its wrapped form, as a {@link Keyring} hands it out.
 *
 * <p>The plaintext is copied in and out and overwritten by {@link #close()}; it is never printed.
 * Not thread-safe.
 */
public final class DataKey implements AutoCloseable {
    /** The length of every data key, in bytes (AES-256). */
    public static final int LENGTH = 32;

    private final byte[] plaintext;
    private final EncryptedDataKey encrypted;

    private DataKey(byte[] plaintext, EncryptedDataKey encrypted) {
        this.plaintext = plaintext;
        this.encrypted = encrypted;
    }

    /**
     * Pairs a plaintext key with its wrapped form.
     *
     * @param plaintext the 32 key bytes; copied, so the caller should overwrite its own array
     * @param encrypted the same key, wrapped
     * @return the data key
     * @throws IllegalArgumentException when the key is not 32 bytes long
     */
    public static DataKey of(byte[] plaintext, EncryptedDataKey encrypted) {
        if (plaintext.length != LENGTH) {
            throw new IllegalArgumentException("a data key must be 32 bytes long");
        }
        return new DataKey(plaintext.clone(), Objects.requireNonNull(encrypted, "encrypted"));
    }

    /**
     * Returns a copy of the plaintext key; the caller overwrites it after use.
     *
     * @return the 32 key bytes
     */
    public byte[] plaintext() {
        return plaintext.clone();
    }

    /**
     * Returns the wrapped form to store beside the object.
     *
     * @return the wrapped key
     */
    public EncryptedDataKey encrypted() {
        return encrypted;
    }

    /** Overwrites the plaintext key. */
    @Override
    public void close() {
        Arrays.fill(plaintext, (byte) 0);
    }

    @Override
    public String toString() {
        return "DataKey[" + encrypted.algorithm() + "]";
    }
}
