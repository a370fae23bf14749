package org.phicourier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one {@link Pipeline#run()} did: per stream, records read, written and dropped, objects and
 * bytes written, and time taken. Holds counts, names, ids and object keys only, never a value.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param runId the id of the run, also part of every object key it wrote
 * @param startedAt when the run started
 * @param finishedAt when the run finished
 * @param streams one report per stream, in the order they ran
 */
public record RunReport(String runId, Instant startedAt, Instant finishedAt,
        List<StreamReport> streams) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Creates a report, copying the stream list.
     *
     * @param runId the id of the run
     * @param startedAt when the run started
     * @param finishedAt when the run finished
     * @param streams one report per stream
     */
    public RunReport {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        streams = List.copyOf(streams);
    }

    /**
     * Returns the time the whole run took.
     *
     * @return the duration
     */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /**
     * Returns the records read over all streams.
     *
     * @return the total
     */
    public long recordsRead() {
        return streams.stream().mapToLong(StreamReport::recordsRead).sum();
    }

    /**
     * Returns the records written over all streams.
     *
     * @return the total
     */
    public long recordsWritten() {
        return streams.stream().mapToLong(StreamReport::recordsWritten).sum();
    }

    /**
     * Renders the report as one line of JSON, for programs that script against it.
     *
     * @return compact JSON with the run and per-stream figures
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("runId", runId);
        root.put("startedAt", startedAt.toString());
        root.put("finishedAt", finishedAt.toString());
        root.put("durationMillis", duration().toMillis());
        root.put("recordsRead", recordsRead());
        root.put("recordsWritten", recordsWritten());
        ArrayNode list = root.putArray("streams");
        streams.forEach(stream -> list.add(toJson(stream)));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode toJson(StreamReport stream) {
        ObjectNode node = JSON.createObjectNode();
        node.put("stream", stream.stream());
        node.put("recordsRead", stream.recordsRead());
        node.put("recordsWritten", stream.recordsWritten());
        node.put("recordsDropped", stream.recordsDropped());
        node.put("objectsWritten", stream.objectsWritten());
        node.put("bytesWritten", stream.bytesWritten());
        node.put("durationMillis", stream.duration().toMillis());
        stream.objectKeys().forEach(node.putArray("objectKeys")::add);
        ObjectNode counters = node.putObject("counters");
        new TreeMap<>(stream.counters()).forEach(counters::put);
        return node;
    }

    /**
     * Finds the report of one stream.
     *
     * @param stream the stream name
     * @return the stream's report
     * @throws IllegalArgumentException when the run had no such stream
     */
    public StreamReport stream(String stream) {
        return streams.stream().filter(s -> s.stream().equals(stream)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stream '" + stream + "'"));
    }
}
