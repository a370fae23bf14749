package org.phicourier.s3;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.phicourier.audit.AuditEvent;
import org.phicourier.audit.AuditSink;

/**
 * Writes one key rotation into the audit trail: a start, one event per object and an end, chained
 * like a pipeline run's events. Details are the bucket, object keys, key ids and outcomes; an
 * outcome's free-text detail is left out, as the trail keeps only names and ids.
 */
final class RotationAudit {
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuditSink sink;
    private final String actor;
    private final String runId;
    private final Map<String, Object> rotation;
    private Optional<AuditEvent> last;

    RotationAudit(AuditSink sink, String actor, String bucket, String fromKeyId,
            String toKeyId, boolean dryRun) {
        this.sink = sink;
        this.actor = actor;
        this.runId = "rotation-" + RUN_TIME.format(Instant.now()) + "-" + suffix();
        this.rotation = Map.of("operation", "key-rotation", "bucket", bucket,
                "fromKeyId", fromKeyId, "toKeyId", toKeyId, "dryRun", dryRun);
        this.last = sink.last();
    }

    void started(int objects) {
        Map<String, Object> details = new LinkedHashMap<>(rotation);
        details.put("objects", objects);
        write(AuditEvent.Type.RUN_STARTED, details);
    }

    void handled(RotationEvent event) {
        Map<String, Object> details = new LinkedHashMap<>(rotation);
        details.put("key", event.objectKey());
        details.put("outcome", event.outcome().name());
        write(AuditEvent.Type.KEY_REWRAPPED, details);
    }

    void finished(RotationReport report) {
        Map<String, Object> details = new LinkedHashMap<>(rotation);
        details.put("outcome", report.succeeded() ? "COMPLETED" : "FAILED");
        for (RotationEvent.Outcome outcome : RotationEvent.Outcome.values()) {
            details.put(outcome.name().toLowerCase(java.util.Locale.ROOT), report.count(outcome));
        }
        write(AuditEvent.Type.RUN_FINISHED, details);
    }

    private void write(AuditEvent.Type type, Map<String, Object> details) {
        AuditEvent event = AuditEvent.next(last, type, runId, actor, Instant.now(), details);
        sink.append(event);
        last = Optional.of(event);
    }

    private static String suffix() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
