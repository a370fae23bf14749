package org.phicourier.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What de-identification gathers while it walks one record: the subject, its date offset, the
 * record's own structured PHI, and the free-text values waiting to be scrubbed once all of that
 * is known. Not thread-safe; lives for one record.
 */
final class RecordContext {
    /** A free-text value to scrub at the end of the record, and where its result goes. */
    record PendingText(Consumer<String> setter, String text, Scrubber.Form form, String field,
            long[] counts) {
    }

    final long position;
    final Optional<String> subject;
    private final Function<String, Integer> offsets;
    private Optional<Integer> offset;
    private PhiTerms terms;
    private List<PendingText> pending;

    RecordContext(long position, Optional<String> subject, Function<String, Integer> offsets) {
        this.position = position;
        this.subject = subject;
        this.offsets = offsets;
    }

    Optional<Integer> offset() {
        if (offset == null) {
            offset = subject.map(offsets);
        }
        return offset;
    }

    PhiTerms terms() {
        if (terms == null) {
            terms = new PhiTerms();
        }
        return terms;
    }

    boolean hasTerms() {
        return terms != null && !terms.isEmpty();
    }

    void defer(PendingText text) {
        if (pending == null) {
            pending = new ArrayList<>();
        }
        pending.add(text);
    }

    List<PendingText> pending() {
        return pending == null ? List.of() : pending;
    }

    @Override
    public String toString() {
        return "RecordContext[row=" + position + "]";
    }
}
