package org.phicourier.testing;

/** Thrown when no S3/KMS emulator is configured and none can be started. */
public final class EmulatorUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why no emulator is available
     */
    public EmulatorUnavailableException(String message) {
        super(message);
    }
}
