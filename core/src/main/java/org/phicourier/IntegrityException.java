package org.phicourier;

/**
 * Thrown when a stored object fails a check: it is not encrypted, its key commitment or
 * authentication tag does not verify, its data key cannot be unwrapped, or its metadata is
 * malformed.
 *
 * <p>No plaintext of the object has been released when this is thrown.
 */
public class IntegrityException extends PhiCourierException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     */
    public IntegrityException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     * @param cause the underlying failure, already stripped of any value
     */
    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
