package org.phicourier.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link KeyRotation} run did, object by object. Holds object keys, key ids and counts
 * only. Immutable and thread-safe.
 *
 * @param bucket the bucket
 * @param fromKeyId the old master key id
 * @param toKeyId the new master key id
 * @param dryRun true when nothing was written
 * @param events one event per object, in the order they were handled
 */
public record RotationReport(String bucket, String fromKeyId, String toKeyId, boolean dryRun,
        List<RotationEvent> events) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Creates a report, copying the events.
     *
     * @param bucket the bucket
     * @param fromKeyId the old master key id
     * @param toKeyId the new master key id
     * @param dryRun true when nothing was written
     * @param events one event per object
     */
    public RotationReport {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(fromKeyId, "fromKeyId");
        Objects.requireNonNull(toKeyId, "toKeyId");
        events = List.copyOf(events);
    }

    /**
     * Counts the objects with an outcome.
     *
     * @param outcome the outcome
     * @return how many objects had it
     */
    public long count(RotationEvent.Outcome outcome) {
        return events.stream().filter(e -> e.outcome() == outcome).count();
    }

    /**
     * Tells whether every object was re-wrapped, would be, or already was.
     *
     * @return false when any object failed
     */
    public boolean succeeded() {
        return count(RotationEvent.Outcome.FAILED) == 0;
    }

    /**
     * Renders the report as one line of JSON.
     *
     * @return compact JSON with the counts and one entry per object
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("bucket", bucket).put("fromKeyId", fromKeyId).put("toKeyId", toKeyId)
                .put("dryRun", dryRun);
        ObjectNode counts = root.putObject("counts");
        for (RotationEvent.Outcome outcome : RotationEvent.Outcome.values()) {
            counts.put(outcome.name(), count(outcome));
        }
        ArrayNode objects = root.putArray("objects");
        events.forEach(e -> objects.addObject().put("key", e.objectKey())
                .put("outcome", e.outcome().name()).put("detail", e.detail())
                .put("at", e.at().toString()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
