package org.phicourier.masking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.phicourier.ConfigurationException;

/**
 * A secret key for keyed pseudonyms, with an id that may be printed.
 *
 * <p>The key bytes are copied in, never returned and never printed; {@link #toString()} shows the
 * id only. Instances are immutable (until {@link #destroy()}) and thread-safe.
 */
public final class PseudonymKey {
    private static final int MIN_BYTES = 32;

    private final String id;
    private final byte[] key;

    private PseudonymKey(String id, byte[] key) {
        this.id = id;
        this.key = key;
    }

    /**
     * Creates a key from bytes.
     *
     * @param id a name for the key that may be printed, such as {@code pseudonyms-2026}
     * @param key at least 32 secret bytes; copied
     * @return the key
     * @throws ConfigurationException when the key is shorter than 32 bytes or the id is blank
     */
    public static PseudonymKey of(String id, byte[] key) {
        Objects.requireNonNull(key, "key");
        if (id == null || id.isBlank()) {
            throw new ConfigurationException("a pseudonym key needs a non-blank id");
        }
        if (key.length < MIN_BYTES) {
            throw new ConfigurationException("pseudonym key '" + id + "' must hold at least "
                    + MIN_BYTES + " bytes");
        }
        return new PseudonymKey(id, key.clone());
    }

    /**
     * Loads a key from a file holding its bytes in Base64 on one line.
     *
     * @param id a name for the key that may be printed
     * @param file the key file
     * @return the key
     * @throws ConfigurationException when the file is missing, unreadable or malformed; the
     *     message names the file, never its content
     */
    public static PseudonymKey fromFile(String id, Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read pseudonym key file " + file);
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(
                    new String(raw, StandardCharsets.US_ASCII).strip());
            try {
                return of(id, decoded);
            } finally {
                Arrays.fill(decoded, (byte) 0);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("pseudonym key file " + file + " is not Base64");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Returns the printable id of this key.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    byte[] secret() {
        return key;
    }

    /** Overwrites the key bytes; the key cannot be used afterwards. */
    public void destroy() {
        Arrays.fill(key, (byte) 0);
    }

    /** Shows the id only. */
    @Override
    public String toString() {
        return "PseudonymKey[" + id + "]";
    }
}
