package org.phicourier.crypto.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * A destination of ciphertext that lets the cipher write straight into its own buffers, so that
 * {@link EncryptingOutputStream} adds no copy of the bytes. Not thread-safe.
 */
public interface DirectCiphertextSink {
    /**
     * Encrypts bytes with a cipher's {@code update}, the output landing in this sink's buffers.
     *
     * @param cipher the encrypting cipher
     * @param plaintext input
     * @param offset start in {@code plaintext}
     * @param length input bytes
     * @throws IOException when the sink fails
     * @throws GeneralSecurityException when the cipher fails
     */
    void encrypt(Cipher cipher, byte[] plaintext, int offset, int length)
            throws IOException, GeneralSecurityException;
}
