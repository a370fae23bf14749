package org.phicourier.deid;

/**
 * What happens to one field or JSON leaf, and why.
 *
 * @param operation what is done
 * @param category what the value is
 * @param source where the decision came from
 */
record Decision(Operation operation, Category category, Source source) {
    /** Where a decision came from, weakest last. */
    enum Source { RULE, FHIR_TYPE, FHIR_PATH, NAME, UNKNOWN }

    boolean explicit() {
        return source == Source.RULE;
    }
}
