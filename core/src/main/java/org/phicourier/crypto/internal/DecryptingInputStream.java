package org.phicourier.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.phicourier.IntegrityException;

/**
 * Decrypts an object body as it is read, holding back only the tag; at the end of the input it
 * verifies the tag and fails with {@link IntegrityException} when it does not match.
 *
 * <p>Bytes handed out before the end are not yet authenticated. Callers that must not release
 * unauthenticated plaintext verify the whole body first (see {@link #verify}) and then decrypt it
 * again. Not thread-safe.
 */
public final class DecryptingInputStream extends InputStream {
    private final InputStream ciphertext;
    private final GCMModeCipher cipher;
    private final String objectKey;
    private final byte[] in = new byte[64 * 1024];
    private byte[] out = new byte[in.length + 32];
    private int outPosition;
    private int outLimit;
    private boolean ended;

    /**
     * Creates the stream.
     *
     * @param ciphertext the object body
     * @param cipher a fresh decrypting cipher for the object
     * @param objectKey the object's key, for messages
     */
    public DecryptingInputStream(InputStream ciphertext, GCMModeCipher cipher, String objectKey) {
        this.ciphertext = ciphertext;
        this.cipher = cipher;
        this.objectKey = objectKey;
    }

    /**
     * Reads a whole body through a cipher and checks its tag, releasing nothing.
     *
     * @param ciphertext the object body; read to its end
     * @param cipher a fresh decrypting cipher for the object
     * @param objectKey the object's key, for messages
     * @return the plaintext length
     * @throws IntegrityException when the tag does not verify
     * @throws IOException when reading fails
     */
    public static long verify(InputStream ciphertext, GCMModeCipher cipher, String objectKey)
            throws IOException {
        long length = 0;
        try (DecryptingInputStream stream =
                new DecryptingInputStream(ciphertext, cipher, objectKey)) {
            byte[] sink = new byte[64 * 1024];
            for (int n = stream.read(sink); n >= 0; n = stream.read(sink)) {
                length += n;
            }
        }
        return length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        while (outPosition == outLimit) {
            if (ended) {
                return -1;
            }
            fill();
        }
        int n = Math.min(length, outLimit - outPosition);
        System.arraycopy(out, outPosition, target, offset, n);
        outPosition += n;
        return n;
    }

    private void fill() throws IOException {
        int n = ciphertext.read(in);
        outPosition = 0;
        if (n < 0) {
            ended = true;
            try {
                outLimit = cipher.doFinal(out, 0);
            } catch (InvalidCipherTextException e) {
                outLimit = 0;
                throw new IntegrityException("object '" + objectKey
                        + "': authentication tag check failed; the object was altered or"
                        + " decrypted with the wrong key");
            }
            return;
        }
        int needed = cipher.getUpdateOutputSize(n);
        if (out.length < needed) {
            out = new byte[needed];
        }
        outLimit = cipher.processBytes(in, 0, n, out, 0);
    }

    @Override
    public void close() throws IOException {
        ciphertext.close();
    }
}
