package org.phicourier.deid;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The structured PHI seen so far for each subject (by subject pseudonym), so that a note in a
 * later stream (a DocumentReference) is scrubbed of the names its patient record (Patient)
 * carried. In memory only, bounded by a number of subjects; subjects past the bound are counted
 * and their notes scrubbed with the detectors and the note's own record only. Thread-safe.
 */
final class SubjectIndex {
    private final ConcurrentHashMap<String, PhiTerms> terms = new ConcurrentHashMap<>();
    private final int capacity;
    private final AtomicLong overflow = new AtomicLong();

    SubjectIndex(int capacity) {
        this.capacity = capacity;
    }

    void add(String subject, PhiTerms recordTerms) {
        if (recordTerms.isEmpty()) {
            return;
        }
        if (terms.size() >= capacity && !terms.containsKey(subject)) {
            overflow.incrementAndGet();
            return;
        }
        PhiTerms known = terms.computeIfAbsent(subject, s -> new PhiTerms());
        synchronized (known) {
            known.absorb(recordTerms);
        }
    }

    /** Returns the subject's terms; read them only while no other stream adds to them. */
    Optional<PhiTerms> get(String subject) {
        return Optional.ofNullable(terms.get(subject));
    }

    long overflow() {
        return overflow.get();
    }

    @Override
    public String toString() {
        return "SubjectIndex[" + terms.size() + " subjects]";
    }
}
