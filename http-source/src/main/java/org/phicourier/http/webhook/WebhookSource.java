package org.phicourier.http.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.http.internal.Json;
import org.phicourier.http.state.CommittableSource;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the events held in a {@link WebhookSpool} into a pipeline as one stream.
 *
 * <p>Each event becomes a row of two fields: {@value #EVENT_ID_FIELD} (a string, the same for
 * every delivery of one signed event, revealing nothing of its content) and {@value #EVENT_FIELD}
 * (the event as {@link FieldType#JSON}). A run reads the events held when its stream opens,
 * at most {@link Builder#maxEventsPerRun}; events arriving meanwhile wait for the next run.
 * {@link #commitProgress()}, called after the run succeeded, marks the drained events delivered
 * and removes them from the spool; after a failed run they are drained again.
 *
 * <p>Note: a process that dies between the sink's commit and {@link #commitProgress()} drains the
 * same events again in its next run; consumers can recognise such repeats by their event id.
 * A source serves one pipeline run at a time.
 */
public final class WebhookSource implements CommittableSource {
    /** The name of the field holding the event id. */
    public static final String EVENT_ID_FIELD = "eventId";
    /** The name of the field holding the event. */
    public static final String EVENT_FIELD = "event";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSource.class);

    private final WebhookSpool spool;
    private final String stream;
    private final int batchSize;
    private final int maxEvents;
    private final Schema schema;
    private final List<String> drained = new ArrayList<>();

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

    @Override
    public synchronized StreamReader open(StreamDescriptor descriptor) {
        if (!descriptor.name().equals(stream)) {
            throw new IllegalStateException("stream '" + descriptor.name()
                    + "' does not belong to this source");
        }
        try {
            return new SpoolReader(spool.held(maxEvents));
        } catch (IOException e) {
            throw new SourceException("stream '" + stream + "': the spool cannot be listed ("
                    + e.getClass().getName() + ")");
        }
    }

    private synchronized void readToEnd(List<String> eventIds) {
        drained.addAll(eventIds);
    }

    /**
     * Marks the events of every stream read to its end since the last commit as delivered, and
     * removes them from the spool.
     *
     * @throws ConfigurationException when the spool cannot be changed; the events stay held and
     *     will be drained again
     */
    @Override
    public synchronized void commitProgress() {
        try {
            for (Iterator<String> it = drained.iterator(); it.hasNext();) {
                spool.markDelivered(it.next());
                it.remove();
            }
            spool.expireMarkers();
        } catch (IOException e) {
            throw new ConfigurationException("the webhook spool " + spool.directory()
                    + " cannot mark events delivered (" + e.getClass().getName() + ")");
        }
    }

    @Override
    public String toString() {
        return "WebhookSource[" + stream + ", " + spool + "]";
    }

    /** Reads a snapshot of held events. Not thread-safe. */
    private final class SpoolReader implements StreamReader {
        private final List<Path> files;
        private final List<String> read = new ArrayList<>();
        private int next;
        private boolean ended;

        SpoolReader(List<Path> files) {
            this.files = files;
            LOG.debug("stream '{}': {} events to drain", stream, files.size());
        }

        @Override
        public Optional<RowBatch> next() {
            List<Row> rows = new ArrayList<>();
            long first = next + 1L;
            while (rows.size() < batchSize && next < files.size()) {
                rows.add(row(files.get(next)));
                next++;
            }
            if (rows.isEmpty() && !ended) {
                ended = true;
                readToEnd(read);
            }
            return rows.isEmpty() ? Optional.empty()
                    : Optional.of(RowBatch.of(schema, rows, first));
        }

        private Row row(Path file) {
            try {
                WebhookSpool.HeldEvent event = spool.read(file);
                JsonNode json = Json.MAPPER.readTree(event.body());
                read.add(event.eventId());
                return Row.of(schema, event.eventId(), json);
            } catch (IOException e) {
                throw new SourceException("stream '" + stream + "', record " + (next + 1)
                        + ": spool file " + file.getFileName() + " cannot be read ("
                        + e.getClass().getName() + ")");
            }
        }

        @Override
        public void close() {
            LOG.debug("stream '{}': {} events read", stream, read.size());
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
