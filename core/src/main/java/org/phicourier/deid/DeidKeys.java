package org.phicourier.deid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.phicourier.ConfigurationException;

/**
 * The secret behind every keyed de-identification operation, and the per-purpose keys derived
 * from it with HKDF-SHA-256: one for pseudonyms, one for FF1 encryption, one for date shifts.
 * A key used for one purpose never serves another, and the same secret gives the same keys in
 * every run, so pseudonyms and date offsets line up across runs and sources.
 *
 * <p>Key ids ({@code deid:} and 16 hex digits of a keyed fingerprint, then the purpose) may be
 * printed and are recorded in every {@link DeidReport}; the key bytes are never returned or
 * printed. Instances are immutable (until {@link #destroy()}) and thread-safe.
 */
public final class DeidKeys {
    private static final int KEY_BYTES = 32;
    private static final byte[] SALT = "phi-courier/deid/v1".getBytes(StandardCharsets.US_ASCII);

    /** The purposes keys are derived for. */
    enum Purpose {
        PSEUDONYM("pseudonym"), FF1("ff1"), DATE_SHIFT("date-shift"), FINGERPRINT("key-id");

        final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    private final String id;
    private final byte[] pseudonym;
    private final byte[] ff1;
    private final byte[] dateShift;

    private DeidKeys(byte[] secret) {
        this.id = "deid:" + HexFormat.of().formatHex(derive(secret, Purpose.FINGERPRINT), 0, 8);
        this.pseudonym = derive(secret, Purpose.PSEUDONYM);
        this.ff1 = derive(secret, Purpose.FF1);
        this.dateShift = derive(secret, Purpose.DATE_SHIFT);
    }

    /**
     * Derives the keys from a 32-byte secret.
     *
     * @param secret exactly 32 random bytes; not kept
     * @return the keys
     * @throws ConfigurationException when the secret is not 32 bytes long
     */
    public static DeidKeys of(byte[] secret) {
        if (Objects.requireNonNull(secret, "secret").length != KEY_BYTES) {
            throw new ConfigurationException("a de-identification key must be 32 bytes long, not "
                    + secret.length);
        }
        return new DeidKeys(secret);
    }

    /**
     * Loads the secret from a file holding 32 bytes in Base64 on one line.
     *
     * @param file the key file
     * @return the keys
     * @throws ConfigurationException when the file is missing, unreadable or malformed; the
     *     message names the file, never its content
     */
    public static DeidKeys fromFile(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read de-identification key file " + file);
        }
        byte[] secret = null;
        try {
            secret = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
            return of(secret);
        } catch (IllegalArgumentException | ConfigurationException e) {
            throw new ConfigurationException("de-identification key file " + file
                    + " must hold 32 bytes in Base64 on one line");
        } finally {
            Arrays.fill(raw, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    private static byte[] derive(byte[] secret, Purpose purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, SALT,
                purpose.label.getBytes(StandardCharsets.US_ASCII)));
        byte[] key = new byte[KEY_BYTES];
        hkdf.generateBytes(key, 0, KEY_BYTES);
        return key;
    }

    /**
     * Returns the printable id of the secret.
     *
     * @return for example {@code deid:0123456789abcdef}
     */
    public String id() {
        return id;
    }

    /**
     * Returns the printable ids of the derived keys by purpose.
     *
     * @return {@code pseudonym}, {@code ff1} and {@code date-shift} to their key ids
     */
    public Map<String, String> keyIds() {
        return Map.of(Purpose.PSEUDONYM.label, id + "/" + Purpose.PSEUDONYM.label,
                Purpose.FF1.label, id + "/" + Purpose.FF1.label,
                Purpose.DATE_SHIFT.label, id + "/" + Purpose.DATE_SHIFT.label);
    }

    byte[] key(Purpose purpose) {
        switch (purpose) {
            case PSEUDONYM:
                return pseudonym;
            case FF1:
                return ff1;
            case DATE_SHIFT:
                return dateShift;
            default:
                throw new IllegalArgumentException("no key for " + purpose);
        }
    }

    /** Overwrites the derived keys; they cannot be used afterwards. */
    public void destroy() {
        Arrays.fill(pseudonym, (byte) 0);
        Arrays.fill(ff1, (byte) 0);
        Arrays.fill(dateShift, (byte) 0);
    }

    /** Shows the id only. */
    @Override
    public String toString() {
        return "DeidKeys[" + id + "]";
    }
}
