package org.phicourier.audit;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each audit event as one INFO line of canonical JSON to the SLF4J logger
 * {@value #LOGGER}, so that a logging setup can route the trail to its own appender. The chain
 * starts anew in every run, as a log cannot be read back; keep a {@link FileAuditSink} or the S3
 * audit sink for a chain across runs.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Slf4jAuditSink implements AuditSink {
    /** The name of the logger the events go to. */
    public static final String LOGGER = "org.phicourier.audit";

    private final Logger log;

    private Slf4jAuditSink() {
        this.log = LoggerFactory.getLogger(LOGGER);
    }

    /**
     * Creates the sink.
     *
     * @return a sink writing to the logger {@value #LOGGER}
     */
    public static Slf4jAuditSink create() {
        return new Slf4jAuditSink();
    }

    @Override
    public Optional<AuditEvent> last() {
        return Optional.empty();
    }

    @Override
    public void append(AuditEvent event) {
        log.info("{}", event.toJson());
    }

    @Override
    public String toString() {
        return "Slf4jAuditSink[" + LOGGER + "]";
    }
}
