package org.phicourier;

/**
 * Thrown when a source cannot deliver its records: the database or API failed or returned data the
 * source cannot decode.
 *
 * <p>Completed objects of other streams stay in place. Without state the failing stream leaves
 * no object behind; with state its committed objects stay, and a rerun resumes after them.
 */
public class SourceException extends PhiCourierException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     */
    public SourceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     * @param cause the underlying failure, already stripped of any value
     */
    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
