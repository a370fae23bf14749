package org.phicourier.masking;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes keyed pseudonyms: HMAC-SHA-256 over a purpose label and the value's canonical text,
 * truncated to 128 bits. Not thread-safe (it holds one {@link Mac}).
 */
final class Pseudonymizer {
    private static final byte[] PURPOSE =
            "phi-courier/pseudonym/v1\u0000".getBytes(StandardCharsets.US_ASCII);
    private static final int KEPT_BYTES = 16;

    private final Mac mac;

    Pseudonymizer(PseudonymKey key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("pseudonym key '" + key.id() + "' is unusable", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    String pseudonym(Object value) {
        mac.update(PURPOSE);
        byte[] digest = mac.doFinal(canonical(value).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, KEPT_BYTES);
    }

    /**
     * Renders a value so that equal values from different sources give the same text: Unicode
     * NFC with outer white space removed for text, plain decimal notation for numbers.
     */
    static String canonical(Object value) {
        if (value instanceof String) {
            return Normalizer.normalize(((String) value).strip(), Normalizer.Form.NFC);
        }
        if (value instanceof BigDecimal) {
            BigDecimal decimal = ((BigDecimal) value).stripTrailingZeros();
            return decimal.signum() == 0 ? "0" : decimal.toPlainString();
        }
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        if (value instanceof JsonNode) {
            return value.toString();
        }
        return String.valueOf(value);
    }
}
