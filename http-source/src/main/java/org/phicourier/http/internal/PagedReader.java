package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phicourier.PhiCourierException;
import org.phicourier.SourceException;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a paged JSON API as one stream: fetches a page, streams the elements of its records
 * array into batches, asks the {@link PageTurner} for the next page, and so on. One page is open
 * at a time and one element is parsed at a time.
 *
 * <p>When a page fails midway, the rows read before the fault are returned first and the
 * failure is thrown by the following call, so nothing before the fault is lost. A next link that
 * returns to a page already read fails the stream instead of looping. Not thread-safe.
 */
public final class PagedReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(PagedReader.class);

    private final String stream;
    private final Schema schema;
    private final HttpExecutor http;
    private final HttpCall template;
    private final JsonPointer records;
    private final PageTurner turner;
    private final ElementReader elements;
    private final int batchSize;
    private final Set<URI> visited = new HashSet<>();
    private Optional<URI> nextUri;
    private JsonPage page;
    private int pages;
    private long elementOnPage;
    private long position;
    private boolean exhausted;
    private PhiCourierException pending;

    /**
     * Creates a reader; nothing is fetched before the first {@link #next()}.
     *
     * @param stream the stream name, for messages
     * @param schema the schema of the rows
     * @param http sends the requests
     * @param first the request of the first page; later pages reuse its headers
     * @param records where each page holds its records array
     * @param turner checks pages and finds the next
     * @param elements turns elements into rows
     * @param batchSize rows per batch
     */
    public PagedReader(String stream, Schema schema, HttpExecutor http, HttpCall first,
            JsonPointer records, PageTurner turner, ElementReader elements, int batchSize) {
        this.stream = stream;
        this.schema = schema;
        this.http = http;
        this.template = first;
        this.records = records;
        this.turner = turner;
        this.elements = elements;
        this.batchSize = batchSize;
        this.nextUri = Optional.of(first.uri());
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
            closePage();
            if (rows.isEmpty()) {
                throw e;
            }
            pending = e;
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(RowBatch.of(schema, rows, first));
    }

    private void fill(List<Row> rows) {
        while (rows.size() < batchSize && !exhausted) {
            if (page == null && !openNextPage()) {
                return;
            }
            Optional<JsonNode> element = guarded(page::next);
            if (element.isEmpty()) {
                endPage();
                continue;
            }
            elementOnPage++;
            Optional<Row> row = guarded(() -> elements.read(element.get()));
            if (row.isPresent()) {
                position++;
                rows.add(row.get());
            }
        }
    }

    private boolean openNextPage() {
        if (nextUri.isEmpty()) {
            exhausted = true;
            return false;
        }
        URI uri = nextUri.get();
        if (!visited.add(uri)) {
            throw new SourceException("stream '" + stream + "': " + Urls.redact(uri)
                    + " links back to a page already read; stopping instead of looping");
        }
        pages++;
        elementOnPage = 0;
        Exchange exchange = http.send(template.to(uri));
        page = guarded(() -> {
            exchange.expectContent(false);
            return JsonPage.open(exchange, records, turner.captures());
        });
        return true;
    }

    private void endPage() {
        JsonPage done = page;
        PageInfo info = new PageInfo(done.exchange().uri(), pages, done.exchange().headers(),
                done.captured(), done.elements(), done.recordsFound());
        closePage();
        nextUri = guarded(() -> turner.next(info));
        LOG.debug("stream '{}': page {} read, {} elements, {} records so far", stream, pages,
                info.elements(), position);
    }

    private <T> T guarded(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (BodyFault fault) {
            String where = page == null ? "" : ", element " + elementOnPage;
            throw new SourceException("stream '" + stream + "', record " + (position + 1)
                    + " (page " + pages + where + "): " + template.to(currentUri()).describe()
                    + " answered a body that cannot be used: " + fault.getMessage());
        }
    }

    private URI currentUri() {
        return page != null ? page.exchange().uri() : nextUri.orElse(template.uri());
    }

    private void closePage() {
        if (page != null) {
            page.close();
            page = null;
        }
    }

    @Override
    public void close() {
        closePage();
        LOG.debug("stream '{}': closed after {} pages and {} records", stream, pages, position);
    }

    @Override
    public String toString() {
        return "PagedReader[" + stream + ", page " + pages + ", record " + position + "]";
    }
}
