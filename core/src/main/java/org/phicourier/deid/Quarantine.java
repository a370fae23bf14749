package org.phicourier.deid;

/**
 * Where records go that de-identification will not ship: a value did not fit its operation
 * (under {@link BadValuePolicy#QUARANTINE}) or scrubbed free text still held identifiers. The
 * record is kept whole, as read, so that an authorised person can review it; implementations
 * must therefore store it encrypted, never in plaintext.
 *
 * <p>Built in: {@link EncryptedDirectoryQuarantine} (envelope-encrypted files in a local
 * directory) and {@link SinkQuarantine} (a {@link org.phicourier.spi.Sink}, such as the S3 sink,
 * which encrypts like every other object). Implementations are thread-safe.
 */
public interface Quarantine extends AutoCloseable {
    /**
     * Stores one record.
     *
     * @param record the record and why it was quarantined
     * @throws org.phicourier.SinkException when it cannot be stored; the run then stops
     */
    void put(QuarantinedRecord record);

    /**
     * Makes every stored record durable and visible; called by the owner after the run.
     *
     * @throws org.phicourier.SinkException when that fails
     */
    @Override
    default void close() {
    }
}
