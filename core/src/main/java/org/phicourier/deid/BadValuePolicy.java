package org.phicourier.deid;

/**
 * What happens to a record with a value that does not fit its operation (fewer digits than FF1
 * needs, a malformed date, a ZIP with letters, text in a number field), or whose scrubbed free
 * text still holds identifiers.
 */
public enum BadValuePolicy {
    /**
     * Stop the run with an error naming the stream, the field and the row position, never the
     * value (the default).
     */
    FAIL,
    /** Send the whole record, encrypted, to the configured {@link Quarantine}, and go on. */
    QUARANTINE
}
