package org.phicourier.crypto.internal;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Derives the content key and the key commitment of the key-committing algorithm suite 115
 * (HKDF with HMAC-SHA-512, salt = message id, input key = data key).
 */
final class CommittingKeys {
    static final byte[] SUITE_ID = {0x00, 0x73};
    static final int MESSAGE_ID_BYTES = 28;
    static final int COMMITMENT_BYTES = 28;
    static final int CONTENT_KEY_BYTES = 32;

    private CommittingKeys() {
    }

    static byte[] contentKey(byte[] dataKey, byte[] messageId) {
        return derive(dataKey, messageId, "DERIVEKEY", CONTENT_KEY_BYTES);
    }

    static byte[] commitment(byte[] dataKey, byte[] messageId) {
        return derive(dataKey, messageId, "COMMITKEY", COMMITMENT_BYTES);
    }

    private static byte[] derive(byte[] dataKey, byte[] messageId, String label, int length) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[SUITE_ID.length + labelBytes.length];
        System.arraycopy(SUITE_ID, 0, info, 0, SUITE_ID.length);
        System.arraycopy(labelBytes, 0, info, SUITE_ID.length, labelBytes.length);

        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA512Digest());
        hkdf.init(new HKDFParameters(dataKey, messageId, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
