package org.phicourier.deid;

/**
 * A record that cannot be shipped because of one field: a value that does not fit its operation,
 * or free text that still holds identifiers after scrubbing. Names the field, never the value.
 */
final class FieldFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    FieldFailure(String field, String reason) {
        super("field '" + field + "': " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    String field() {
        return field;
    }

    String reason() {
        return reason;
    }
}
