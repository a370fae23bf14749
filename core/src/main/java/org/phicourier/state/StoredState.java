package org.phicourier.state;

import java.util.Objects;

/**
 * A state document as a {@link StateStore} holds it, with the version that a conditional write
 * must name to replace it.
 *
 * <p>Instances are immutable and thread-safe; the document bytes are copied in and out.
 */
public final class StoredState {
    private final byte[] document;
    private final String version;

    private StoredState(byte[] document, String version) {
        this.document = document;
        this.version = version;
    }

    /**
     * Creates the value.
     *
     * @param document the document bytes; copied
     * @param version an opaque version, such as an ETag or a digest
     * @return the value
     */
    public static StoredState of(byte[] document, String version) {
        return new StoredState(document.clone(), Objects.requireNonNull(version, "version"));
    }

    /**
     * Returns a copy of the document.
     *
     * @return the bytes
     */
    public byte[] document() {
        return document.clone();
    }

    /**
     * Returns the version.
     *
     * @return the opaque version
     */
    public String version() {
        return version;
    }

    @Override
    public String toString() {
        return "StoredState[" + document.length + " bytes, version " + version + "]";
    }
}
