package org.phicourier.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.phicourier.IntegrityException;
import org.phicourier.spi.StoredObject;

/**
 * What one run of a pipeline with state committed: per stream, the generation it wrote into, the
 * objects it committed (in order) and the generations it retired. Holds names, keys and counts
 * only.
 *
 * <p>The objects committed by all runs of a generation, taken together, hold every record of that
 * generation exactly once; an object under the pipeline's destination that no manifest lists was
 * never committed (a run was stopped between completing it and saving its bookmark, and the next
 * run replaces or removes it). A run that was killed gets its manifest from the next run, with
 * the outcome {@link Outcome#INTERRUPTED}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RunManifest {
    /** The format name written into every manifest. */
    public static final String FORMAT = "phi-courier-manifest";
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runId;
    private final long epoch;
    private final Instant startedAt;
    private final Instant finishedAt;
    private final Outcome outcome;
    private final List<StreamEntry> streams;

    /** How a run ended. */
    public enum Outcome {
        /** Every stream was read to its end and committed. */
        COMPLETED,
        /** The run stopped with an error; what it committed before stays committed. */
        FAILED,
        /** The run ended without writing its manifest (it was killed); the next run wrote it. */
        INTERRUPTED
    }

    /**
     * What a run committed for one stream.
     *
     * @param stream the stream name
     * @param generation the generation written into
     * @param objects the objects committed, in order
     * @param retiredGenerations generations removed because a newer one became complete
     */
    public record StreamEntry(String stream, long generation, List<StoredObject> objects,
            List<Long> retiredGenerations) {
        /**
         * Creates the entry, copying the lists.
         *
         * @param stream the stream name
         * @param generation the generation written into
         * @param objects the objects committed, in order
         * @param retiredGenerations generations removed
         */
        public StreamEntry {
            Objects.requireNonNull(stream, "stream");
            objects = List.copyOf(objects);
            retiredGenerations = List.copyOf(retiredGenerations);
        }
    }

    private RunManifest(String runId, long epoch, Instant startedAt, Instant finishedAt,
            Outcome outcome, List<StreamEntry> streams) {
        this.runId = runId;
        this.epoch = epoch;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.outcome = outcome;
        this.streams = streams;
    }

    /**
     * Creates a manifest.
     *
     * @param runId the run
     * @param epoch the run's epoch
     * @param startedAt when the run started
     * @param finishedAt when it ended, or when its manifest was recovered
     * @param outcome how it ended
     * @param streams one entry per stream the run wrote into
     * @return the manifest
     */
    public static RunManifest of(String runId, long epoch, Instant startedAt, Instant finishedAt,
            Outcome outcome, List<StreamEntry> streams) {
        return new RunManifest(Objects.requireNonNull(runId, "runId"), epoch,
                Objects.requireNonNull(startedAt, "startedAt"),
                Objects.requireNonNull(finishedAt, "finishedAt"),
                Objects.requireNonNull(outcome, "outcome"), List.copyOf(streams));
    }

    /**
     * Returns the run id.
     *
     * @return the run id
     */
    public String runId() {
        return runId;
    }

    /**
     * Returns the run's epoch.
     *
     * @return the epoch
     */
    public long epoch() {
        return epoch;
    }

    /**
     * Returns when the run started.
     *
     * @return the instant
     */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * Returns when the run ended, or when its manifest was recovered.
     *
     * @return the instant
     */
    public Instant finishedAt() {
        return finishedAt;
    }

    /**
     * Returns how the run ended.
     *
     * @return the outcome
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Returns the entries per stream.
     *
     * @return an unmodifiable list
     */
    public List<StreamEntry> streams() {
        return streams;
    }

    /**
     * Returns every object the run committed, over all streams.
     *
     * @return the objects
     */
    public List<StoredObject> objects() {
        return streams.stream().flatMap(s -> s.objects().stream()).toList();
    }

    /**
     * Renders the manifest as JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("runId", runId);
        root.put("epoch", epoch);
        root.put("startedAt", startedAt.toString());
        root.put("finishedAt", finishedAt.toString());
        root.put("outcome", outcome.name());
        ArrayNode list = root.putArray("streams");
        streams.forEach(stream -> list.add(toJson(stream)));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a manifest", e);
        }
    }

    private static ObjectNode toJson(StreamEntry stream) {
        ObjectNode node = JSON.createObjectNode();
        node.put("stream", stream.stream());
        node.put("generation", stream.generation());
        ArrayNode objects = node.putArray("objects");
        for (StoredObject object : stream.objects()) {
            objects.addObject().put("key", object.key()).put("sequence", object.sequence())
                    .put("records", object.records()).put("bytes", object.bytes())
                    .put("checksum", object.checksum())
                    .put("schemaVersion", object.schemaVersion());
        }
        stream.retiredGenerations().forEach(node.putArray("retiredGenerations")::add);
        return node;
    }

    /**
     * Reads a manifest that {@link #toJson()} wrote.
     *
     * @param json the JSON text
     * @return the manifest
     * @throws IntegrityException when the text is not a manifest of a known format version
     */
    public static RunManifest fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !FORMAT.equals(root.path("format").asText())
                    || root.path("formatVersion").asInt() != FORMAT_VERSION) {
                throw malformed("not a manifest of format version " + FORMAT_VERSION);
            }
            List<StreamEntry> streams = new ArrayList<>();
            for (JsonNode stream : root.path("streams")) {
                streams.add(streamFromJson(stream));
            }
            return of(text(root, "runId"), root.path("epoch").asLong(),
                    Instant.parse(text(root, "startedAt")),
                    Instant.parse(text(root, "finishedAt")),
                    Outcome.valueOf(text(root, "outcome")), streams);
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
            throw malformed(e.getClass().getSimpleName());
        }
    }

    private static StreamEntry streamFromJson(JsonNode node) {
        List<StoredObject> objects = new ArrayList<>();
        for (JsonNode object : node.path("objects")) {
            objects.add(new StoredObject(text(object, "key"), object.path("sequence").asLong(),
                    object.path("records").asLong(), object.path("bytes").asLong(),
                    object.path("checksum").asText(""), object.path("schemaVersion").asText("")));
        }
        List<Long> retired = new ArrayList<>();
        node.path("retiredGenerations").forEach(g -> retired.add(g.asLong()));
        return new StreamEntry(text(node, "stream"), node.path("generation").asLong(), objects,
                retired);
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw malformed("'" + name + "' is missing");
        }
        return value.asText();
    }

    private static IntegrityException malformed(String why) {
        return new IntegrityException("manifest is malformed: " + why);
    }

    @Override
    public String toString() {
        return "RunManifest[" + runId + ", " + outcome + ", " + objects().size() + " objects]";
    }
}
