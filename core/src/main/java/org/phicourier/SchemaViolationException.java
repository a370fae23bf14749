package org.phicourier;

/**
 * Thrown when a record breaks a rule about its shape or values.
 *
 * <p>The message names the stream, the field and the row position, never the value.
 */
public class SchemaViolationException extends PhiCourierException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     */
    public SchemaViolationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     * @param cause the underlying failure, already stripped of any value
     */
    public SchemaViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
