package org.phicourier;

/**
 * The root of every exception PHI Courier throws.
 *
 * <p>Messages name streams, fields, row positions, buckets, object keys and key ids; they never
 * carry a record value, a key or a credential. The subclasses say what the caller can do:
 * {@link ConfigurationException} (fix the setup), {@link SourceException} (the source failed),
 * {@link SchemaViolationException} (the data broke a rule), {@link IntegrityException} (a stored
 * object failed its checks), {@link SinkException} (the destination failed).
 */
public class PhiCourierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, without values
     */
    public PhiCourierException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, without values
     * @param cause the underlying failure, already stripped of any value
     */
    public PhiCourierException(String message, Throwable cause) {
        super(message, cause);
    }
}
