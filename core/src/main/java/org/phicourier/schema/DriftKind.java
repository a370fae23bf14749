package org.phicourier.schema;

/** The kinds of change between the schema a stream had in the last run and the one it has now. */
public enum DriftKind {
    /** A field the last run did not have. */
    FIELD_ADDED,
    /** A field the last run had and this one does not. */
    FIELD_REMOVED,
    /**
     * A type that holds every value of the old one: a wider integer, an integer that became a
     * decimal, a single-precision number that became double, any type that became text, or a
     * decimal with more digits.
     */
    TYPE_WIDENED,
    /** Any other change of type, or a decimal with fewer digits. */
    TYPE_NARROWED,
    /** A field that became nullable or not nullable. */
    NULLABILITY_CHANGED
}
