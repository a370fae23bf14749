package org.phicourier;

/**
 * Thrown when another run of the same pipeline changed the state first: two runs were started at
 * once, or a newer run took over while this one was still going.
 *
 * <p>The run that gets it stops without saving anything more; what it committed before stays
 * committed, and the other run carries on from there. Run again only after the other run ended.
 */
public class StateConflictException extends PhiCourierException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what conflicted, naming the state and the runs
     */
    public StateConflictException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what conflicted, naming the state and the runs
     * @param cause the underlying failure, already stripped of any value
     */
    public StateConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
