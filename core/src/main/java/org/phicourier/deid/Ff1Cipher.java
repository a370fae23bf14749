package org.phicourier.deid;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.phicourier.deid.Operation.Ff1Format;

/**
 * FF1 format-preserving encryption (NIST SP 800-38G, through Bouncy Castle) of the digits in a
 * value, under the FF1 key derived from {@link DeidKeys}, with a tweak per field; and the
 * authorised reversal, for holders of the same key.
 *
 * <p>Only digits change; every other character keeps its place. The encrypted digits must hold
 * at least a million values (six digits). Cycle-walking keeps validity: a valid SSN (area
 * 001-899 except 666, group and serial not zero) encrypts to a valid SSN and an invalid one (such
 * as the never-issued 9xx area of test data) to an invalid one, so a fake number never becomes a
 * real person's; a valid NANP phone number (area and exchange 2-9, not N11) stays valid. Each
 * class maps onto itself one to one, so every value decrypts back.
 *
 * <p>Not thread-safe; use one instance per thread.
 */
public final class Ff1Cipher {
    private static final int MIN_DIGITS = 6;

    private final byte[] key;
    private final Map<String, FPEFF1Engine> engines = new HashMap<>();

    private Ff1Cipher(byte[] key) {
        this.key = key;
    }

    /**
     * Creates a cipher under the FF1 key of the given keys.
     *
     * @param keys the de-identification keys
     * @return the cipher
     */
    public static Ff1Cipher of(DeidKeys keys) {
        return new Ff1Cipher(Objects.requireNonNull(keys, "keys").key(DeidKeys.Purpose.FF1));
    }

    /**
     * Encrypts the digits of a value.
     *
     * @param format the format to keep
     * @param tweak the field's tweak, such as its name; the same tweak is needed to decrypt
     * @param value the value
     * @return the value with its digits encrypted
     * @throws IllegalArgumentException when the value does not fit the format (for example fewer
     *     than six digits); the message never quotes the value
     */
    public String encrypt(Ff1Format format, String tweak, String value) {
        return process(true, format, tweak, value);
    }

    /**
     * Decrypts what {@link #encrypt} produced with the same key, format and tweak.
     *
     * @param format the format used to encrypt
     * @param tweak the tweak used to encrypt
     * @param value the encrypted value
     * @return the original value
     * @throws IllegalArgumentException when the value does not fit the format
     */
    public String decrypt(Ff1Format format, String tweak, String value) {
        return process(false, format, tweak, value);
    }

    private String process(boolean encrypt, Ff1Format format, String tweak, String value) {
        char[] chars = value.toCharArray();
        byte[] digits = digits(chars);
        int fixed = fixedPrefix(format, digits);
        if (digits.length - fixed < MIN_DIGITS) {
            throw new BadValueException("fewer than " + MIN_DIGITS + " digits to encrypt");
        }
        byte[] free = java.util.Arrays.copyOfRange(digits, fixed, digits.length);
        Validity validity = validity(format, free.length);
        boolean valid = validity.test(free);
        FPEFF1Engine engine = engine(encrypt, tweak);
        byte[] out = new byte[free.length];
        do {
            engine.processBlock(free, 0, free.length, out, 0);
            System.arraycopy(out, 0, free, 0, free.length);
        } while (validity.test(free) != valid);
        System.arraycopy(free, 0, digits, fixed, free.length);
        return render(chars, digits);
    }

    private static byte[] digits(char[] chars) {
        int n = 0;
        for (char c : chars) {
            n += c >= '0' && c <= '9' ? 1 : 0;
        }
        byte[] digits = new byte[n];
        int i = 0;
        for (char c : chars) {
            if (c >= '0' && c <= '9') {
                digits[i++] = (byte) (c - '0');
            }
        }
        return digits;
    }

    private static int fixedPrefix(Ff1Format format, byte[] digits) {
        if (format == Ff1Format.SSN && digits.length != 9) {
            throw new BadValueException("an SSN needs exactly 9 digits");
        }
        boolean nanpWithCountry = format == Ff1Format.PHONE && digits.length == 11
                && digits[0] == 1;
        return nanpWithCountry ? 1 : 0;
    }

    /** A validity class test over the encrypted digits. */
    private interface Validity {
        boolean test(byte[] d);
    }

    private static Validity validity(Ff1Format format, int length) {
        if (format == Ff1Format.SSN) {
            return Ff1Cipher::validSsn;
        }
        if (format == Ff1Format.PHONE && length == 10) {
            return Ff1Cipher::validNanp;
        }
        return d -> true;
    }

    static boolean validSsn(byte[] d) {
        int area = d[0] * 100 + d[1] * 10 + d[2];
        int group = d[3] * 10 + d[4];
        int serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }

    static boolean validNanp(byte[] d) {
        return d[0] >= 2 && !(d[1] == 1 && d[2] == 1) && d[3] >= 2 && !(d[4] == 1 && d[5] == 1);
    }

    private FPEFF1Engine engine(boolean encrypt, String tweak) {
        return engines.computeIfAbsent((encrypt ? "e:" : "d:") + tweak, k -> {
            FPEFF1Engine engine = new FPEFF1Engine();
            engine.init(encrypt, new FPEParameters(new KeyParameter(key), 10,
                    tweak.getBytes(StandardCharsets.UTF_8)));
            return engine;
        });
    }

    private static String render(char[] chars, byte[] digits) {
        int i = 0;
        for (int p = 0; p < chars.length; p++) {
            if (chars[p] >= '0' && chars[p] <= '9') {
                chars[p] = (char) ('0' + digits[i++]);
            }
        }
        return new String(chars);
    }

    @Override
    public String toString() {
        return "Ff1Cipher[FF1/AES-256]";
    }
}
