package org.phicourier.http.internal;

/**
 * A response body or one of its records cannot be used. The message says what is wrong and
 * where (line, column, JSON pointer), never a value; the reader that catches it adds the stream,
 * the record position and the URL.
 */
public final class BodyFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the fault.
     *
     * @param detail what is wrong and where, without values
     */
    public BodyFault(String detail) {
        super(detail, null, false, false);
    }
}
