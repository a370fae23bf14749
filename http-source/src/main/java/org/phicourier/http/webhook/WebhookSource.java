package org.phicourier.http.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.http.internal.Json;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.Replication;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the events held in a {@link WebhookSpool} into a pipeline as one stream.
 *
 * <p>Each event becomes a row of two fields: {@value #EVENT_ID_FIELD} (a string, the same for
 * every delivery of one signed event, revealing nothing of its content) and {@value #EVENT_FIELD}
 * (the event as {@link FieldType#JSON}). Events are read in the order of their spool sequence
 * numbers; a run reads those held when its stream opens, at most
 * {@link Builder#maxEventsPerRun}; events arriving meanwhile wait for the next run.
 *
 * <p>The stream is incremental and resumable: its bookmark is the sequence number of the last
 * event delivered (a number, never event content). Run it in a pipeline with state
 * ({@link org.phicourier.Pipeline.Builder#state}): the bookmark is saved after each object that
 * holds events is complete, object names follow from the bookmark range, and a run after a crash
 * continues after the last saved bookmark, so every held event reaches the sink exactly once.
 * When a run opens the stream from a saved bookmark, the events at or below it are removed from
 * the spool. Without state every run reads every held event and removes none.
 *
 * <p>A source serves one pipeline run at a time; one pipeline (one state) drains a spool.
 */
public final class WebhookSource implements Source {
    /** The name of the field holding the event id. */
    public static final String EVENT_ID_FIELD = "eventId";
    /** The name of the field holding the event. */
    public static final String EVENT_FIELD = "event";
    static final String SEQUENCE = "sequence";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSource.class);
    private static final Replication REPLICATION = Replication.of(ReplicationMode.INCREMENTAL,
            true, "webhook-spool-sequence");

    private final WebhookSpool spool;
    private final String stream;
    private final int batchSize;
    private final int maxEvents;
    private final Schema schema;

    private WebhookSource(Builder builder) {
        this.spool = builder.spool;
        this.stream = builder.stream;
        this.batchSize = builder.batchSize;
        this.maxEvents = builder.maxEvents;
        this.schema = Schema.of(
                Field.builder(EVENT_ID_FIELD, FieldType.STRING).nullable(false)
                        .sourceType("SHA-256 of the event signature").build(),
                Field.builder(EVENT_FIELD, FieldType.JSON).nullable(false)
                        .sourceType("webhook event").build());
    }

    /**
     * Starts building a spool-draining source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<StreamDescriptor> discover() {
        return List.of(StreamDescriptor.of(stream, schema));
    }

    /**
     * Returns the stream's replication: incremental, resumable after every batch, by spool
     * sequence number.
     *
     * @param descriptor the stream
     * @return the replication
     */
    @Override
    public Replication replication(StreamDescriptor descriptor) {
        check(descriptor);
        return REPLICATION;
    }

    @Override
    public StreamReader open(StreamDescriptor descriptor) {
        return open(descriptor, Optional.empty());
    }

    /**
     * Starts reading after a bookmark; the events at or below it, which the pipeline's state
     * holds as delivered, are first removed from the spool.
     *
     * @param descriptor the stream
     * @param from the last saved bookmark, if any
     * @return a reader of the held events after it
     * @throws ConfigurationException when the bookmark is not one of this source's
     * @throws SourceException when the spool cannot be listed or cleaned
     */
    @Override
    public StreamReader open(StreamDescriptor descriptor, Optional<Bookmark> from) {
        check(descriptor);
        long after = from.map(this::sequence).orElse(0L);
        try {
            if (from.isPresent()) {
                int removed = spool.release(after);
                LOG.debug("stream '{}': {} delivered events removed from the spool", stream,
                        removed);
            }
            return new SpoolReader(spool.after(after, maxEvents), after);
        } catch (IOException e) {
            throw new SourceException("stream '" + stream + "': the spool cannot be listed or"
                    + " cleaned (" + e.getClass().getName() + ")");
        }
    }

    private void check(StreamDescriptor descriptor) {
        if (!descriptor.name().equals(stream)) {
            throw new IllegalStateException("stream '" + descriptor.name()
                    + "' does not belong to this source");
        }
    }

    private long sequence(Bookmark bookmark) {
        try {
            return Long.parseLong(bookmark.attribute(SEQUENCE).orElseThrow());
        } catch (RuntimeException e) {
            throw new ConfigurationException("stream '" + stream + "': the saved bookmark has"
                    + " no spool sequence number; it was not made by a webhook source");
        }
    }

    private static Bookmark bookmark(long sequence) {
        return Bookmark.of(Map.of(SEQUENCE, Long.toString(sequence)));
    }

    @Override
    public String toString() {
        return "WebhookSource[" + stream + ", " + spool + "]";
    }

    /** Reads held events in sequence order. Not thread-safe. */
    private final class SpoolReader implements StreamReader {
        private final List<SpoolFiles.Entry> entries;
        private long position;
        private long delivered;
        private int next;

        SpoolReader(List<SpoolFiles.Entry> entries, long after) {
            this.entries = entries;
            this.position = after;
            LOG.debug("stream '{}': {} events to drain after sequence {}", stream,
                    entries.size(), after);
        }

        @Override
        public Optional<RowBatch> next() {
            List<Row> rows = new ArrayList<>();
            long first = delivered + 1;
            while (rows.size() < batchSize && next < entries.size()) {
                SpoolFiles.Entry entry = entries.get(next);
                rows.add(row(entry));
                position = entry.sequence();
                next++;
            }
            delivered += rows.size();
            return rows.isEmpty() ? Optional.empty()
                    : Optional.of(RowBatch.of(schema, rows, first));
        }

        private Row row(SpoolFiles.Entry entry) {
            try {
                WebhookSpool.HeldEvent event = spool.read(entry.file());
                JsonNode json = Json.MAPPER.readTree(event.body());
                return Row.of(schema, event.eventId(), json);
            } catch (IOException e) {
                throw new SourceException("stream '" + stream + "', record " + (next + 1)
                        + ": spool event " + entry.sequence() + " cannot be read ("
                        + e.getClass().getName() + ")");
            }
        }

        @Override
        public Optional<Bookmark> bookmark() {
            return Optional.of(WebhookSource.bookmark(position));
        }

        @Override
        public void close() {
            LOG.debug("stream '{}': {} events read", stream, delivered);
        }
    }

    /** Builds a {@link WebhookSource}; mutable and not thread-safe. */
    public static final class Builder {
        private WebhookSpool spool;
        private String stream = "webhook_events";
        private int batchSize = 500;
        private int maxEvents = 100_000;

        private Builder() {
        }

        /**
         * Sets the spool to drain. Required.
         *
         * @param spool the spool
         * @return this builder
         */
        public Builder spool(WebhookSpool spool) {
            this.spool = Objects.requireNonNull(spool, "spool");
            return this;
        }

        /**
         * Sets the stream name; {@code webhook_events} by default.
         *
         * @param name the stream name
         * @return this builder
         * @throws ConfigurationException when the name is not allowed
         */
        public Builder stream(String name) {
            this.stream = StreamDescriptor.checkName(name);
            return this;
        }

        /**
         * Sets how many rows a batch holds at most; 500 by default.
         *
         * @param rows at least 1
         * @return this builder
         */
        public Builder batchSize(int rows) {
            this.batchSize = rows;
            return this;
        }

        /**
         * Sets how many events one run drains at most; 100,000 by default.
         *
         * @param events at least 1
         * @return this builder
         */
        public Builder maxEventsPerRun(int events) {
            this.maxEvents = events;
            return this;
        }

        /**
         * Builds the source.
         *
         * @return the source
         * @throws ConfigurationException when the spool is missing or a size is below 1
         */
        public WebhookSource build() {
            if (spool == null || batchSize < 1 || maxEvents < 1) {
                throw new ConfigurationException("webhook source: set the spool; batchSize and"
                        + " maxEventsPerRun must be at least 1");
            }
            return new WebhookSource(this);
        }
    }
}
