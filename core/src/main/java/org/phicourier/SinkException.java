package org.phicourier;

/**
 * Thrown when the destination cannot take the records: the bucket is missing or unreachable, or an
 * upload failed after its retries.
 *
 * <p>Incomplete uploads are aborted before it is thrown, so no partial object stays visible; a
 * run with state that is killed instead leaves them to the next run, which aborts them.
 */
public class SinkException extends PhiCourierException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     */
    public SinkException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     * @param cause the underlying failure, already stripped of any value
     */
    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
