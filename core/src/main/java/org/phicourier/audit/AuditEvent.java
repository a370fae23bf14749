package org.phicourier.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One act of a run, as the audit trail records it: what happened, in which run, on whose behalf,
 * when, with details that are counts, names, ids and object keys, never a record value. Each event
 * carries its place in the chain ({@link #sequence()}), the hash of the event before it and its
 * own hash, so that a removed, edited or reordered event is detected by {@link AuditVerifier}.
 *
 * <p>Instances are immutable and thread-safe. Events are created by the pipeline; users read them
 * back from an {@link AuditSink} to verify or inspect them.
 *
 * @param sequence the position in the chain, from 0
 * @param type what happened
 * @param runId the run that did it
 * @param actor the service or person the run acted for
 * @param time when it happened, UTC
 * @param details counts, names, ids and keys; values are strings, whole numbers or booleans
 * @param previousHash the hash of the event before, or 64 zeros for the first event
 * @param hash the SHA-256 of this event's canonical JSON without the hash itself, in hex
 */
public record AuditEvent(long sequence, Type type, String runId, String actor, Instant time,
        Map<String, Object> details, String previousHash, String hash) {

    /** The hash that the first event of a chain names as its predecessor. */
    public static final String GENESIS = "0".repeat(64);

    /** What an event records. */
    public enum Type {
        /** A run started; details: streams. */
        RUN_STARTED,
        /** A run ended; details: outcome, records read and written, the failure's type. */
        RUN_FINISHED,
        /** A stream was read; details: stream, read method, source type, records. */
        SOURCE_READ,
        /** A transformer ran over a stream; details: stream, transformer, policy, counters. */
        TRANSFORMATION_APPLIED,
        /** An object became visible; details: stream, bucket, key, size, records, schema. */
        OBJECT_COMMITTED,
        /** A bookmark was saved; details: stream. */
        BOOKMARK_SAVED,
        /** Records were withheld into quarantine; details: stream, rule, count. */
        RECORD_QUARANTINED,
        /** Another run held the state; details: the conflict's type. */
        STATE_CONFLICT,
        /** A check before reading stopped the run; details: phase, the finding's type. */
        PREFLIGHT_FINDING,
        /**
         * A key rotation handled one object; details: bucket, key, the two master key ids,
         * whether it was a dry run, and the outcome.
         */
        KEY_REWRAPPED
    }

    /**
     * Creates an event, copying the details into key order.
     *
     * @param sequence the position in the chain
     * @param type what happened
     * @param runId the run
     * @param actor the actor
     * @param time when
     * @param details the details
     * @param previousHash the hash of the event before
     * @param hash this event's hash
     * @throws IllegalArgumentException when a detail is not a string, whole number or boolean
     */
    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
        details = Collections.unmodifiableMap(new TreeMap<>(checked(details)));
    }

    /**
     * Creates the event that follows another in a chain, computing its sequence and hashes.
     *
     * @param previous the last event of the chain, or empty to start a chain
     * @param type what happened
     * @param runId the run
     * @param actor the actor
     * @param time when
     * @param details counts, names, ids and keys; never a record value
     * @return the chained event
     */
    public static AuditEvent next(Optional<AuditEvent> previous, Type type, String runId,
            String actor, Instant time, Map<String, Object> details) {
        long sequence = previous.map(p -> p.sequence() + 1).orElse(0L);
        String previousHash = previous.map(AuditEvent::hash).orElse(GENESIS);
        AuditEvent unhashed = new AuditEvent(sequence, type, runId, actor, time, details,
                previousHash, "");
        return unhashed.withHash(AuditCodec.hash(unhashed));
    }

    private AuditEvent withHash(String newHash) {
        return new AuditEvent(sequence, type, runId, actor, time, details, previousHash, newHash);
    }

    /**
     * Computes what this event's hash must be from its content.
     *
     * @return the SHA-256 of the canonical JSON without the hash, in hex
     */
    public String computeHash() {
        return AuditCodec.hash(this);
    }

    private static Map<String, Object> checked(Map<String, Object> details) {
        details.forEach((name, value) -> {
            boolean allowed = value instanceof String || value instanceof Long
                    || value instanceof Integer || value instanceof Boolean;
            if (!allowed) {
                throw new IllegalArgumentException("audit detail '" + name
                        + "' must be a string, whole number or boolean");
            }
        });
        return details;
    }

    /**
     * Returns a detail as text.
     *
     * @param name the detail's name
     * @return its value as text, or empty text when absent
     */
    public String detail(String name) {
        Object value = details.get(name);
        return value == null ? "" : value.toString();
    }

    /**
     * Renders the event as one line of canonical JSON, as the file and S3 sinks store it.
     *
     * @return the JSON line, without a line break
     */
    public String toJson() {
        return AuditCodec.toJson(this, true);
    }

    /**
     * Reads an event from the JSON that {@link #toJson()} wrote.
     *
     * @param json one JSON line
     * @return the event, with the hash as stored (not recomputed)
     * @throws org.phicourier.IntegrityException when the JSON is not an audit event; the message
     *     never quotes the input
     */
    public static AuditEvent fromJson(String json) {
        return AuditCodec.fromJson(json);
    }
}
