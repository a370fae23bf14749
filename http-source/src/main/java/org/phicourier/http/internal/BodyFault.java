package org.phicourier.http.internal;

/**
 * A response body or one of its records cannot be used. The message says what is wrong and
 * where (line, column, JSON pointer), never a value; the reader that catches it adds the stream,
 * the record position and the URL.
 */
public final class BodyFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean transport;

    /**
     * Creates the fault of a body whose content is unusable.
     *
     * @param detail what is wrong and where, without values
     */
    public BodyFault(String detail) {
        this(detail, false);
    }

    private BodyFault(String detail, boolean transport) {
        super(detail, null, false, false);
        this.transport = transport;
    }

    /**
     * Creates the fault of a body whose connection broke off while it was read.
     *
     * @param detail what failed and where, without values
     * @return the fault
     */
    public static BodyFault transport(String detail) {
        return new BodyFault(detail, true);
    }

    /**
     * Tells whether the connection failed rather than the content.
     *
     * @return true when fetching the body again may succeed
     */
    public boolean transport() {
        return transport;
    }
}
