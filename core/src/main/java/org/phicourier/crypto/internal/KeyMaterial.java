package org.phicourier.crypto.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.phicourier.ConfigurationException;

/**
 * Helpers for key material: reading key files without echoing their content, fingerprints that
 * are safe to log, zeroing, and checks on descriptions stored in plaintext.
 */
public final class KeyMaterial {
    private static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    private KeyMaterial() {
    }

    /**
     * Reads a small key file; messages name the file, never its content.
     *
     * @param file the file
     * @param what what the file holds, for messages
     * @return its bytes; the caller overwrites them after use
     * @throws ConfigurationException when the file is missing, unreadable or too large
     */
    public static byte[] readKeyFile(Path file, String what) {
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new ConfigurationException(what + " file " + file + " is too large to be a"
                        + " key file");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read " + what + " file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Returns 16 hex digits of a keyed HMAC-SHA-256 over a fixed label, a fingerprint of a secret
     * key that reveals nothing about it.
     *
     * @param key the key bytes
     * @return the fingerprint
     */
    public static String secretFingerprint(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal("phi-courier/key-id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Returns 16 hex digits of the SHA-256 of a public value, such as an encoded public key.
     *
     * @param publicBytes the bytes
     * @return the fingerprint
     */
    public static String publicFingerprint(byte[] publicBytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicBytes);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Overwrites arrays with zeros.
     *
     * @param arrays the arrays; empty ones are skipped
     */
    public static void zero(byte[]... arrays) {
        for (byte[] array : arrays) {
            Arrays.fill(array, (byte) 0);
        }
    }

    /**
     * Checks a materials description or encryption context that will be stored in plaintext.
     *
     * @param map the entries
     * @param what its name, for messages
     * @return an unmodifiable copy
     * @throws ConfigurationException when an entry is not printable ASCII
     */
    public static Map<String, String> checkedDescription(Map<String, String> map, String what) {
        Optional<String> bad = map.entrySet().stream()
                .filter(e -> !printableAscii(e.getKey()) || !printableAscii(e.getValue()))
                .map(Map.Entry::getKey).findFirst();
        if (bad.isPresent()) {
            throw new ConfigurationException(what + " entries must be printable ASCII (they are"
                    + " stored in plaintext); entry " + (printableAscii(bad.get())
                    ? "'" + bad.get() + "'" : "with a non-ASCII name") + " is not");
        }
        return Map.copyOf(map);
    }

    private static boolean printableAscii(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
