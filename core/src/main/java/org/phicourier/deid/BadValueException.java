package org.phicourier.deid;

/**
 * A value that does not fit its operation. The message says why in general terms (such as
 * "fewer than 6 digits") and never quotes the value.
 */
final class BadValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadValueException(String reason) {
        super(reason);
    }
}
