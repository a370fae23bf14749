package org.phicourier.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.IntegrityException;

/**
 * Checks an audit chain: every event must parse, carry the hash of its own content, follow the
 * event before it by sequence and name that event's hash. The first event that does not is
 * reported; a removed event shows as a gap at its successor, an edited one as a hash mismatch at
 * itself, a reordered one as a sequence break.
 *
 * <p>A chain cannot show that events were cut off at its end; S3 Object Lock on the audit prefix
 * (or an external copy of the last hash) guards against that.
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /**
     * One stored event: where it is stored and its JSON.
     *
     * @param location a line number or object key, used to name a bad event
     * @param json the stored JSON
     */
    public record Entry(String location, String json) {
        /**
         * Creates an entry.
         *
         * @param location where it is stored
         * @param json the stored JSON
         */
        public Entry {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(json, "json");
        }

        @Override
        public String toString() {
            return "Entry[" + location + "]";
        }
    }

    /**
     * Verifies a chain from its first event.
     *
     * @param entries the stored events, in their stored order
     * @return the outcome
     */
    public static AuditVerification verify(List<Entry> entries) {
        Optional<AuditEvent> previous = Optional.empty();
        long checked = 0;
        for (Entry entry : entries) {
            AuditEvent event;
            try {
                event = AuditEvent.fromJson(entry.json());
            } catch (IntegrityException e) {
                return broken(checked, entry, "unreadable: " + e.getMessage());
            }
            Optional<String> problem = problem(previous, event);
            if (problem.isPresent()) {
                return broken(checked, entry, problem.get());
            }
            previous = Optional.of(event);
            checked++;
        }
        return new AuditVerification(checked, Optional.empty(), "");
    }

    private static Optional<String> problem(Optional<AuditEvent> previous, AuditEvent event) {
        if (!event.computeHash().equals(event.hash())) {
            return Optional.of("event " + event.sequence() + " was changed after it was"
                    + " written (its hash does not match its content)");
        }
        long expected = previous.map(p -> p.sequence() + 1).orElse(0L);
        if (event.sequence() != expected) {
            return Optional.of("expected event " + expected + " but found event "
                    + event.sequence() + " (an event is missing or out of order)");
        }
        String expectedHash = previous.map(AuditEvent::hash).orElse(AuditEvent.GENESIS);
        if (!event.previousHash().equals(expectedHash)) {
            return Optional.of("event " + event.sequence() + " does not chain to the event"
                    + " before it");
        }
        return Optional.empty();
    }

    private static AuditVerification broken(long checked, Entry entry, String problem) {
        return new AuditVerification(checked, Optional.of(entry.location()), problem);
    }
}
