package org.phicourier.spi;

import java.util.Objects;

/**
 * Tells that a transformer set one record aside into its quarantine: which rule, which field and
 * the record's position in its stream. It holds no value; the record itself is in the
 * (encrypted) quarantine.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param rule the id of the rule the record broke, such as {@code ssn.pattern}
 * @param field the field that broke it
 * @param position the record's position in its stream, numbered as error messages number rows
 */
public record QuarantineNote(String rule, String field, long position) {

    /**
     * Creates the value.
     *
     * @param rule the rule id
     * @param field the field name
     * @param position the position, not negative
     */
    public QuarantineNote {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(field, "field");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative");
        }
    }
}
