package org.phicourier.s3.internal;

/**
 * An object could not be completed on condition that its key be free, because an object of that
 * key exists. Internal: the writer resolves it (see {@link ObjectConflicts}) and never lets it
 * out.
 */
final class KeyTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyTakenException(String key) {
        super("object '" + key + "' exists", null, false, false);
    }
}
