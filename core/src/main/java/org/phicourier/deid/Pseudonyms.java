package org.phicourier.deid;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: HMAC-SHA-256 under the pseudonym key over a domain label and the normalised
 * value, truncated to 128 bits and written as 32 hex digits. Record keys and FHIR references
 * pseudonymise their id only, so {@code Patient/abc}, {@code urn:uuid:abc} and a column holding
 * {@code abc} give the same pseudonym. Not thread-safe.
 */
final class Pseudonyms {
    static final String VERSION = "hmac-sha256-128/v1";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:[A-Za-z][A-Za-z0-9+.-]*://\\S*?/)?([A-Z][A-Za-z]+)/([A-Za-z0-9.\\-]{1,64})"
                    + "(?:/_history/[A-Za-z0-9.\\-]{1,64})?");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CONDITIONAL = Pattern.compile("([A-Z][A-Za-z]+)\\?(.+)");
    private static final Pattern NOT_DIGIT = Pattern.compile("[^0-9]");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final int KEPT_BYTES = 16;

    private final Mac mac;

    Pseudonyms(DeidKeys keys) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.key(DeidKeys.Purpose.PSEUDONYM), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Returns the pseudonym of a value of a category, keeping a reference's shape. */
    String pseudonym(Category category, String value) {
        if (category == Category.RECORD_KEY) {
            return recordKey(value);
        }
        return hex(domain(category), normalise(category, value));
    }

    /** Returns the pseudonym that identifies a subject, from its id or a reference to it. */
    String subject(String idOrReference) {
        return hex("RECORD_KEY", normaliseId(idPart(idOrReference)));
    }

    private String recordKey(String value) {
        String text = value.strip();
        if (text.startsWith("#")) {
            return text;
        }
        Matcher reference = REFERENCE.matcher(text);
        if (reference.matches()) {
            return reference.group(1) + "/" + hex("RECORD_KEY", normaliseId(reference.group(2)));
        }
        if (text.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            return "urn:uuid:" + hex("RECORD_KEY", normaliseId(text.substring(9)));
        }
        Matcher conditional = CONDITIONAL.matcher(text);
        if (conditional.matches()) {
            return conditional.group(1) + "?" + hex("RECORD_KEY", conditional.group(2));
        }
        return hex("RECORD_KEY", normaliseId(text));
    }

    static String idPart(String idOrReference) {
        String text = idOrReference.strip();
        Matcher reference = REFERENCE.matcher(text);
        if (reference.matches()) {
            return reference.group(2);
        }
        return text.regionMatches(true, 0, "urn:uuid:", 0, 9) ? text.substring(9) : text;
    }

    private static String normaliseId(String id) {
        String text = id.strip();
        return UUID.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : text;
    }

    private static String domain(Category category) {
        return category == Category.FAX ? Category.PHONE.name() : category.name();
    }

    /**
     * Normalises a value so that renderings of the same thing give the same pseudonym: SSN
     * digits only, phone numbers in E.164 (ten digits are taken as NANP), e-mail lower-cased,
     * names case-folded with single spaces, anything else NFC without outer space.
     */
    static String normalise(Category category, String value) {
        String stripped = value.strip();
        String text = Normalizer.isNormalized(stripped, Normalizer.Form.NFKC) ? stripped
                : Normalizer.normalize(stripped, Normalizer.Form.NFKC);
        switch (category) {
            case SSN:
                return NOT_DIGIT.matcher(text).replaceAll("");
            case PHONE:
            case FAX:
                return e164(text);
            case EMAIL:
                return text.toLowerCase(Locale.ROOT);
            case NAME:
                return SPACES.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
            default:
                return text;
        }
    }

    private static String e164(String text) {
        String digits = NOT_DIGIT.matcher(text).replaceAll("");
        if (text.startsWith("+")) {
            return "+" + digits;
        }
        if (digits.length() == 10) {
            return "+1" + digits;
        }
        return digits.length() == 11 && digits.charAt(0) == '1' ? "+" + digits : digits;
    }

    private String hex(String domain, String normalised) {
        mac.update(domain.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, KEPT_BYTES);
    }

    @Override
    public String toString() {
        return "Pseudonyms[" + VERSION + "]";
    }
}
