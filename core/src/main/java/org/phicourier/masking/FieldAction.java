package org.phicourier.masking;

import java.util.Locale;
import org.phicourier.ConfigurationException;

/** What masking does with one field. */
public enum FieldAction {
    /** Pass the value through unchanged. Only for fields that hold no PHI. */
    KEEP,
    /** Remove the field from the output schema. */
    DROP,
    /** Replace every non-null value with the text {@code [REDACTED]}; the field becomes text. */
    REDACT,
    /**
     * Replace every non-null value with a keyed HMAC-SHA-256 pseudonym: 32 lower-case hex digits
     * (128 bits), the same for the same value, key and normalisation in every stream and run, so
     * that joins survive. The field becomes text.
     */
    PSEUDONYMIZE;

    /**
     * Parses an action name as written in a masking configuration, ignoring case.
     *
     * @param name for example {@code keep} or {@code pseudonymize}
     * @return the action
     * @throws ConfigurationException when the name is unknown
     */
    public static FieldAction parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("unknown masking action '" + name
                    + "': use keep, drop, redact or pseudonymize");
        }
    }
}
