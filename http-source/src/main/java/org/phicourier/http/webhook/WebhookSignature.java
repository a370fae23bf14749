package org.phicourier.http.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature scheme of webhook events: the sender puts the Unix time in seconds in the
 * timestamp header and {@code sha256=} followed by the lower-case hex HMAC-SHA-256 of
 * {@code <timestamp> "." <raw body bytes>}, keyed with the shared secret (UTF-8), in the signature
 * header. Binding the timestamp into the MAC lets the receiver refuse replays outside its window.
 *
 * <p>Stateless and thread-safe.
 */
public final class WebhookSignature {
    /** The prefix of a signature value. */
    public static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /**
     * Signs an event, as a sender does.
     *
     * @param secret the shared secret
     * @param timestamp the Unix time in seconds sent in the timestamp header
     * @param body the exact body bytes sent
     * @return the signature header value, {@code sha256=<hex>}
     */
    public static String sign(String secret, long timestamp, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(secret, timestamp, body));
    }

    /**
     * Checks a signature header value in constant time.
     *
     * @param secret the shared secret
     * @param timestamp the timestamp the sender sent
     * @param body the body bytes received
     * @param header the signature header value received
     * @return true when it is the signature of this timestamp and body
     */
    static boolean verify(String secret, long timestamp, byte[] body, String header) {
        String value = header.strip().toLowerCase(Locale.ROOT);
        if (!value.startsWith(PREFIX) || value.length() != PREFIX.length() + 64) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, timestamp, body), given);
    }

    /**
     * Derives an event id from a verified signature: the hex SHA-256 of the MAC, the same for
     * every delivery of the same signed event, and revealing nothing of its body.
     *
     * @param header the verified signature header value
     * @return 64 lower-case hex digits
     */
    static String eventId(String header) {
        try {
            byte[] mac = HexFormat.of().parseHex(header.strip().toLowerCase(Locale.ROOT)
                    .substring(PREFIX.length()));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(mac));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] mac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
