package org.phicourier.deid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What de-identification did, in counts only: per stream and field (or JSON path), how many
 * values were kept, dropped, redacted, pseudonymised, encrypted, shifted, generalised, scrubbed,
 * left unknown (and dropped) or quarantined; free-text detector hits by type; the records seen
 * and quarantined; the preset and its version, the hash of the whole configuration and the ids
 * of the keys. No value ever appears in it.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DeidReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> about;
    private final Map<String, String> keyIds;
    private final Map<String, StreamSummary> streams;

    /**
     * Counts for one stream.
     *
     * @param records records de-identified
     * @param quarantined records sent to quarantine
     * @param fields per field or JSON path, counts by outcome label
     * @param detectorHits free-text detector hits by category name
     */
    public record StreamSummary(long records, long quarantined,
            Map<String, Map<String, Long>> fields, Map<String, Long> detectorHits) {
        /**
         * Copies the maps.
         *
         * @param records records de-identified
         * @param quarantined records sent to quarantine
         * @param fields per field or JSON path, counts by outcome label
         * @param detectorHits free-text detector hits by category name
         */
        public StreamSummary {
            fields = Map.copyOf(fields);
            detectorHits = Map.copyOf(detectorHits);
        }

        /**
         * Returns how many values of a field had an outcome.
         *
         * @param field the field name or JSON path
         * @param outcome the outcome
         * @return the count, zero when none
         */
        public long count(String field, Outcome outcome) {
            return fields.getOrDefault(field, Map.of()).getOrDefault(outcome.label(), 0L);
        }

        /**
         * Returns the fields or paths that no rule covered, with how many values each had.
         *
         * @return counts by field
         */
        public Map<String, Long> unknownFields() {
            Map<String, Long> unknown = new TreeMap<>();
            fields.forEach((field, counts) -> {
                Long n = counts.get(Outcome.UNKNOWN.label());
                if (n != null) {
                    unknown.put(field, n);
                }
            });
            return unknown;
        }
    }

    DeidReport(Map<String, String> about, Map<String, String> keyIds,
            Map<String, StreamSummary> streams) {
        this.about = Map.copyOf(about);
        this.keyIds = Map.copyOf(keyIds);
        this.streams = Map.copyOf(streams);
    }

    /**
     * Returns the summary of one stream.
     *
     * @param stream the stream name
     * @return the summary
     * @throws IllegalArgumentException when the stream was not de-identified
     */
    public StreamSummary stream(String stream) {
        StreamSummary summary = streams.get(Objects.requireNonNull(stream, "stream"));
        if (summary == null) {
            throw new IllegalArgumentException("no stream '" + stream + "' in the report");
        }
        return summary;
    }

    /**
     * Returns every stream's summary.
     *
     * @return summaries by stream name
     */
    public Map<String, StreamSummary> streams() {
        return streams;
    }

    /**
     * Returns the configuration hash: SHA-256 over the preset, rules, policies, ranges and key
     * ids, so that two runs can be shown to have used the same configuration.
     *
     * @return 64 hex digits
     */
    public String configurationHash() {
        return about.get("configurationHash");
    }

    /**
     * Returns the ids of the keys used, by purpose; never the keys.
     *
     * @return key ids by purpose
     */
    public Map<String, String> keyIds() {
        return keyIds;
    }

    /**
     * Renders the report as JSON.
     *
     * @return pretty-printed JSON with counts, names and ids only
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        new TreeMap<>(about).forEach(root::put);
        ObjectNode keys = root.putObject("keyIds");
        new TreeMap<>(keyIds).forEach(keys::put);
        ObjectNode all = root.putObject("streams");
        new TreeMap<>(streams).forEach((name, summary) -> {
            ObjectNode stream = all.putObject(name);
            stream.put("records", summary.records()).put("quarantined", summary.quarantined());
            ObjectNode hits = stream.putObject("detectorHits");
            new TreeMap<>(summary.detectorHits()).forEach(hits::put);
            ObjectNode fields = stream.putObject("fields");
            new TreeMap<>(summary.fields()).forEach((field, counts) -> {
                ObjectNode node = fields.putObject(field);
                new TreeMap<>(counts).forEach(node::put);
            });
        });
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "DeidReport[preset=" + about.get("preset") + ", streams=" + streams.keySet() + "]";
    }
}
