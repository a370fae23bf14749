package org.phicourier.crypto.internal;

import java.security.GeneralSecurityException;

/**
 * Decrypts an object body in order, whatever its content algorithm. Not thread-safe.
 */
public interface ContentCipher {
    /**
     * Returns the most bytes {@link #update} may produce for an input length.
     *
     * @param length input bytes
     * @return output bytes at most
     */
    int updateOutputSize(int length);

    /**
     * Decrypts the next input bytes.
     *
     * @param in input
     * @param offset start in {@code in}
     * @param length input bytes
     * @param out output
     * @param outOffset start in {@code out}
     * @return bytes produced
     */
    int update(byte[] in, int offset, int length, byte[] out, int outOffset);

    /**
     * Finishes: checks the tag (or the padding) and produces the last bytes.
     *
     * @param out output, with room for at least 32 bytes
     * @param outOffset start in {@code out}
     * @return bytes produced
     * @throws GeneralSecurityException when the check fails
     */
    int doFinal(byte[] out, int outOffset) throws GeneralSecurityException;

    /**
     * Tells whether {@link #doFinal} authenticates the whole body; false for legacy CBC.
     *
     * @return true for GCM
     */
    boolean authenticates();

    /**
     * Names the check {@link #doFinal} makes, for messages.
     *
     * @return for example {@code authentication tag}
     */
    String checkName();
}
