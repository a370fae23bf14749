package org.phicourier.jdbc.internal;

/**
 * A value the database holds but {@code java.time} cannot, under the policy
 * {@link org.phicourier.jdbc.OutOfRangePolicy#FAIL}. The message names the kind of value only.
 */
final class OutOfRangeValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfRangeValueException(String what) {
        super(what + " that java.time cannot hold; set the out-of-range policy NULL or TEXT"
                + " to extract it", null, false, false);
    }
}
