package org.phicourier.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 fingerprints, to name things after settings that may hold PHI. */
public final class Digests {
    private Digests() {
    }

    /**
     * Returns the first 16 hex digits of the SHA-256 of a text.
     *
     * @param text the text
     * @return 16 lower-case hex digits
     */
    public static String shortSha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
