package org.phicourier.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.PhiCourierException;
import org.phicourier.SourceException;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one newline-delimited JSON file over HTTP as one stream, a line at a time. When a line
 * is bad, the rows before it are returned first and the failure is thrown by the following call.
 * When the connection breaks off midway, the file is fetched again (within the retry policy and
 * the source's budget) and the lines already read are skipped, since an export file does not
 * change. Not thread-safe.
 */
public final class NdjsonReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(NdjsonReader.class);

    private final String stream;
    private final Schema schema;
    private final HttpExecutor http;
    private final HttpCall call;
    private final ElementReader elements;
    private final int batchSize;
    private NdjsonLines lines;
    private long position;
    private int resumes;
    private boolean exhausted;
    private PhiCourierException pending;

    /**
     * Creates a reader; nothing is fetched before the first {@link #next()}.
     *
     * @param stream the stream name, for messages
     * @param schema the schema of the rows
     * @param http sends the request
     * @param call the request of the file
     * @param elements turns lines into rows
     * @param batchSize rows per batch
     */
    public NdjsonReader(String stream, Schema schema, HttpExecutor http, HttpCall call,
            ElementReader elements, int batchSize) {
        this(stream, schema, http, call, elements, batchSize, 0);
    }

    /**
     * Creates a reader that continues after the records an earlier reader of the same file
     * delivered; nothing is fetched before the first {@link #next()}.
     *
     * @param stream the stream name, for messages
     * @param schema the schema of the rows
     * @param http sends the request
     * @param call the request of the file
     * @param elements turns lines into rows
     * @param batchSize rows per batch
     * @param delivered records of the file already delivered, skipped
     */
    public NdjsonReader(String stream, Schema schema, HttpExecutor http, HttpCall call,
            ElementReader elements, int batchSize, long delivered) {
        this.stream = stream;
        this.schema = schema;
        this.http = http;
        this.call = call;
        this.elements = elements;
        this.batchSize = batchSize;
        this.position = delivered;
    }

    @Override
    public Optional<RowBatch> next() {
        if (pending != null) {
            throw pending;
        }
        List<Row> rows = new ArrayList<>();
        long first = position + 1;
        try {
            fill(rows);
        } catch (PhiCourierException e) {
            closeLines();
            if (rows.isEmpty()) {
                throw e;
            }
            pending = e;
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(RowBatch.of(schema, rows, first));
    }

    private void fill(List<Row> rows) {
        if (lines == null && !exhausted) {
            lines = open();
            skipDelivered();
        }
        while (rows.size() < batchSize && !exhausted) {
            Optional<JsonNode> line = guarded(this::nextLine, "");
            if (line.isEmpty()) {
                exhausted = true;
                closeLines();
                LOG.debug("stream '{}': {} read, {} records", stream, call.describe(), position);
                return;
            }
            Optional<Row> row = guarded(() -> elements.read(line.get()),
                    " (line " + lines.line() + ")");
            if (row.isPresent()) {
                position++;
                rows.add(row.get());
            }
        }
    }

    private NdjsonLines open() {
        Exchange exchange = http.send(call);
        return guarded(() -> {
            exchange.expectContent(true);
            return NdjsonLines.open(exchange);
        }, "");
    }

    private Optional<JsonNode> nextLine() {
        while (true) {
            try {
                return lines.next();
            } catch (BodyFault fault) {
                if (!fault.transport() || !resume()) {
                    throw fault;
                }
            }
        }
    }

    /** Fetches the file again after a broken connection and skips the lines already read. */
    private boolean resume() {
        closeLines();
        if (resumes >= http.options().retryPolicy().maxRetries() || !http.spendRetry()) {
            return false;
        }
        resumes++;
        LOG.warn("stream '{}': {} broke off after {} records; fetching it again (resume {})",
                stream, call.describe(), position, resumes);
        lines = open();
        skipDelivered();
        return true;
    }

    /** Skips the records already delivered; an export file does not change. */
    private void skipDelivered() {
        for (long skipped = 0; skipped < position; skipped++) {
            if (guarded(lines::next, "").isEmpty()) {
                throw new SourceException("stream '" + stream + "': " + call.describe()
                        + " is shorter than when its first " + position + " records were read");
            }
        }
    }

    private <T> T guarded(java.util.function.Supplier<T> step, String line) {
        try {
            return step.get();
        } catch (BodyFault fault) {
            throw new SourceException("stream '" + stream + "', record " + (position + 1) + line
                    + ": " + call.describe() + " answered a body that cannot be used: "
                    + fault.getMessage());
        }
    }

    private void closeLines() {
        if (lines != null) {
            lines.close();
            lines = null;
        }
    }

    @Override
    public void close() {
        closeLines();
    }

    @Override
    public String toString() {
        return "NdjsonReader[" + stream + ", record " + position + "]";
    }
}
