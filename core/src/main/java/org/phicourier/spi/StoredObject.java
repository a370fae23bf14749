package org.phicourier.spi;

import java.util.Objects;

/**
 * One object a resumable writer completed: its key, its place in the series of its generation,
 * what it holds, and how to check it. Carries names, counts and checksums only.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param key the object key
 * @param sequence the object's one-based number in its generation
 * @param records the records it holds
 * @param bytes its stored size in bytes
 * @param checksum the checksum the store keeps over the stored bytes, as
 *     {@code <ALGORITHM>:<value>} (for S3 {@code SHA256:<base64>}, with {@code -<parts>} for a
 *     multipart object); empty when the sink records none
 * @param schemaVersion a short stable name of the schema of its records; empty when the sink
 *     records none
 */
public record StoredObject(String key, long sequence, long records, long bytes, String checksum,
        String schemaVersion) {
    /**
     * Creates the description.
     *
     * @param key the object key
     * @param sequence the object's one-based number in its generation
     * @param records the records it holds
     * @param bytes its stored size in bytes
     * @param checksum the stored bytes' checksum, or empty
     * @param schemaVersion the schema's version, or empty
     */
    public StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(schemaVersion, "schemaVersion");
    }

    /**
     * Creates the description of an object without a checksum or schema version.
     *
     * @param key the object key
     * @param sequence the object's one-based number in its generation
     * @param records the records it holds
     * @param bytes its stored size in bytes
     */
    public StoredObject(String key, long sequence, long records, long bytes) {
        this(key, sequence, records, bytes, "", "");
    }
}
