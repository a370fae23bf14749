package org.phicourier.metrics;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An object a run completed: its stream, key and what is known of its contents. A run without
 * state learns the size of each object only for the stream as a whole, so the counts are then
 * empty.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param stream the stream name
 * @param key the object key
 * @param records records in the object, when known
 * @param bytes stored bytes of the object, when known
 * @param schemaVersion what identifies the read method and schemas the object holds, when known
 * @param checksum the S3 checksum of the stored object (algorithm and value), when known
 */
public record CommittedObject(String stream, String key, OptionalLong records, OptionalLong bytes,
        Optional<String> schemaVersion, Optional<String> checksum) {

    /**
     * Creates the value.
     *
     * @param stream the stream name
     * @param key the object key
     * @param records records in the object, when known
     * @param bytes stored bytes, when known
     * @param schemaVersion the schema version, when known
     * @param checksum the checksum, when known
     */
    public CommittedObject {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(checksum, "checksum");
    }

    /**
     * Creates the value for an object whose checksum is not known.
     *
     * @param stream the stream name
     * @param key the object key
     * @param records records in the object, when known
     * @param bytes stored bytes, when known
     * @param schemaVersion the schema version, when known
     */
    public CommittedObject(String stream, String key, OptionalLong records, OptionalLong bytes,
            Optional<String> schemaVersion) {
        this(stream, key, records, bytes, schemaVersion, Optional.empty());
    }
}
