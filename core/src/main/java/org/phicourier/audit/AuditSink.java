package org.phicourier.audit;

import java.util.Optional;

/**
 * Where audit events go. The pipeline chains each event to the one before ({@link #last()}) and
 * appends it before it goes on, so an event that cannot be stored stops the run: an act without
 * its record is not allowed to continue.
 *
 * <p>Implementations: {@link Slf4jAuditSink} (a log of its own), {@link FileAuditSink} (JSON
 * Lines on local disk) and, in the S3 sink module, an append-only prefix in S3. Implementations
 * must be thread-safe.
 */
public interface AuditSink {

    /**
     * Returns the last event stored, so that the next one chains to it.
     *
     * @return the last event, or empty when the sink holds none or cannot read back
     * @throws org.phicourier.IntegrityException when the stored events cannot be read
     */
    Optional<AuditEvent> last();

    /**
     * Stores one event durably, after every event before it.
     *
     * @param event the chained event
     * @throws org.phicourier.SinkException when the event cannot be stored
     */
    void append(AuditEvent event);
}
