package org.phicourier.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/** Reads a stream the way a pipeline with state does, keeping the last bookmark. */
final class Passes {
    private final Source source;
    private final StreamDescriptor stream;
    private Optional<Bookmark> bookmark = Optional.empty();

    Passes(Source source, String stream) {
        this.source = source;
        this.stream = source.discover().stream().filter(d -> d.name().equals(stream))
                .findFirst().orElseThrow();
    }

    /** Reads to the end from the last bookmark and keeps the final one. */
    List<Row> readAll() {
        List<Row> rows = new ArrayList<>();
        try (StreamReader reader = source.open(stream, bookmark)) {
            for (Optional<RowBatch> batch = reader.next(); batch.isPresent();
                    batch = reader.next()) {
                rows.addAll(batch.get().rows());
            }
            bookmark = reader.bookmark();
        }
        return rows;
    }

    /**
     * Reads one read to its end, closing the reader and reopening it from the bookmark after
     * every batch.
     */
    List<Row> readResumingAfterEveryBatch() {
        List<Row> rows = new ArrayList<>();
        while (true) {
            try (StreamReader reader = source.open(stream, bookmark)) {
                Optional<RowBatch> batch = reader.next();
                bookmark = reader.bookmark();
                batch.ifPresent(b -> rows.addAll(b.rows()));
                if (batch.isEmpty() || ended()) {
                    return rows;
                }
            }
        }
    }

    private boolean ended() {
        return bookmark.flatMap(b -> b.attribute("phase")).filter("DONE"::equals).isPresent();
    }

    /** Reads one batch and keeps its bookmark, as if the run then died. */
    List<Row> readOneBatch() {
        try (StreamReader reader = source.open(stream, bookmark)) {
            List<Row> rows = reader.next().map(RowBatch::rows).orElse(List.of());
            bookmark = reader.bookmark();
            return rows;
        }
    }

    Optional<Bookmark> bookmark() {
        return bookmark;
    }
}
