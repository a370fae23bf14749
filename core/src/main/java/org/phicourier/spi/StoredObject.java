package org.phicourier.spi;

import java.util.Objects;

/**
 * One object a resumable writer completed: its key, its place in the series of its generation,
 * and what it holds. Carries names and counts only.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param key the object key
 * @param sequence the object's one-based number in its generation
 * @param records the records it holds
 * @param bytes its stored size in bytes
 */
public record StoredObject(String key, long sequence, long records, long bytes) {
    /**
     * Creates the description.
     *
     * @param key the object key
     * @param sequence the object's one-based number in its generation
     * @param records the records it holds
     * @param bytes its stored size in bytes
     */
    public StoredObject {
        Objects.requireNonNull(key, "key");
    }
}
