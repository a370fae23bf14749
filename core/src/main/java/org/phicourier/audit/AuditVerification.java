package org.phicourier.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying an audit chain: how many events were checked and, when the chain is
 * broken, where and how.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param eventsChecked events found valid before the first bad one (all of them when valid)
 * @param firstBad where the first bad event is stored (a line number or an object key), or empty
 * @param problem what is wrong with it (gap, edit, reorder, unreadable), or empty
 */
public record AuditVerification(long eventsChecked, Optional<String> firstBad, String problem) {

    /**
     * Creates an outcome.
     *
     * @param eventsChecked events found valid
     * @param firstBad where the first bad event is, or empty
     * @param problem what is wrong, empty when valid
     */
    public AuditVerification {
        Objects.requireNonNull(firstBad, "firstBad");
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * Tells whether the whole chain verified.
     *
     * @return true when no event is bad
     */
    public boolean valid() {
        return firstBad.isEmpty();
    }

    @Override
    public String toString() {
        return valid() ? "audit chain valid: " + eventsChecked + " events"
                : "audit chain broken at " + firstBad.get() + " after " + eventsChecked
                        + " valid events: " + problem;
    }
}
