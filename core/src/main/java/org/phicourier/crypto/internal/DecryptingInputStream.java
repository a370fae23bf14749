package org.phicourier.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import org.phicourier.IntegrityException;

/**
 * Decrypts an object body as it is read; at the end of the input it runs the cipher's final
 * check (the GCM tag) and fails with {@link IntegrityException} when it does not pass.
 *
 * <p>Bytes handed out before the end are not yet authenticated. Callers that must not release
 * unauthenticated plaintext verify the whole body first (see {@link #verify}) and then decrypt it
 * again. Memory is two 64 KiB buffers whatever the body size. Not thread-safe.
 */
public final class DecryptingInputStream extends InputStream {
    private static final int BUFFER = 64 * 1024;

    private final InputStream ciphertext;
    private final ContentCipher cipher;
    private final String objectKey;
    private final byte[] in = new byte[BUFFER];
    private byte[] out = new byte[BUFFER + 32];
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
    public DecryptingInputStream(InputStream ciphertext, ContentCipher cipher, String objectKey) {
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
    public static long verify(InputStream ciphertext, ContentCipher cipher, String objectKey)
            throws IOException {
        long length = 0;
        try (DecryptingInputStream stream =
                new DecryptingInputStream(ciphertext, cipher, objectKey)) {
            byte[] sink = new byte[BUFFER];
            for (int n = stream.read(sink); n >= 0; n = stream.read(sink)) {
                java.util.Arrays.fill(sink, 0, n, (byte) 0);
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
        if (length == 0) {
            return 0;
        }
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
            finish();
            return;
        }
        int needed = cipher.updateOutputSize(n);
        if (out.length < needed) {
            out = new byte[needed];
        }
        outLimit = cipher.update(in, 0, n, out, 0);
    }

    private void finish() {
        try {
            outLimit = cipher.doFinal(out, 0);
        } catch (GeneralSecurityException e) {
            outLimit = 0;
            java.util.Arrays.fill(out, (byte) 0);
            throw new IntegrityException("object '" + objectKey + "': " + cipher.checkName()
                    + " check failed; the object was altered or decrypted with the wrong key");
        }
    }

    @Override
    public void close() throws IOException {
        ciphertext.close();
    }
}
