package org.phicourier.deid;

import java.util.Locale;

/** What happened to a value, as counted in the {@link DeidReport}. */
public enum Outcome {
    /** Passed through unchanged. */
    KEPT,
    /** Removed. */
    DROPPED,
    /** Replaced by a placeholder, constant, type tag or mask. */
    REDACTED,
    /** Replaced by a keyed pseudonym. */
    PSEUDONYMISED,
    /** Encrypted with FF1. */
    ENCRYPTED,
    /** Shifted by the subject's date offset. */
    SHIFTED,
    /** Generalised: ZIP3, year, quarter, 90+, bucket. */
    GENERALISED,
    /** Free text scrubbed. */
    SCRUBBED,
    /** Removed because no rule covered it. */
    UNKNOWN,
    /** Part of a record sent to quarantine instead of the output. */
    QUARANTINED;

    /**
     * Returns the lower-case name used in reports and counters.
     *
     * @return for example {@code pseudonymised}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
