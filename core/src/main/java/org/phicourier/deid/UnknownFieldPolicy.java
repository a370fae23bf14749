package org.phicourier.deid;

/** What happens to a field or JSON leaf that no rule, datatype default or classifier places. */
public enum UnknownFieldPolicy {
    /** Drop it and count it in the report (the default). */
    DROP,
    /**
     * Stop the run: a column is refused when the stream is bound, before any record is read; a
     * JSON leaf stops the run at the first record that has it, before that record is written.
     */
    FAIL
}
