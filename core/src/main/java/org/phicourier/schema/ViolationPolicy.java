package org.phicourier.schema;

/** What a {@link SchemaCheck} does with a record that breaks a rule. */
public enum ViolationPolicy {
    /** Stops the run with a {@link org.phicourier.SchemaViolationException}; the default. */
    STOP,
    /**
     * Withholds the record and stores it, encrypted, in the check's quarantine with the rule id,
     * field and row position as its reason, never a value; the rest of the batch goes on.
     */
    QUARANTINE,
    /**
     * Replaces the value with null and records the rule id in the row's metadata field
     * {@value SchemaCheck#NULLED_FIELD}.
     */
    NULL,
    /** Delivers the record unchanged; the violation is only counted. */
    PASS
}
