package org.phicourier;

/**
 * Thrown when a pipeline, source, transformer, sink or key is set up wrongly.
 *
 * <p>Nothing has been read or written when it is thrown during building or preparation; fix the
 * configuration and run again.
 */
public class ConfigurationException extends PhiCourierException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     */
    public ConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming streams, fields and positions, never values
     * @param cause the underlying failure, already stripped of any value
     */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
