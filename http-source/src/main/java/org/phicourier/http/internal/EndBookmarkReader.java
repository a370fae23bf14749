package org.phicourier.http.internal;

import java.util.Optional;
import java.util.function.Supplier;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamReader;

/**
 * Passes a reader through and gives a bookmark once the stream has been read to its end, for a
 * read that is incremental but cannot continue from its middle: before the end it gives none.
 */
public final class EndBookmarkReader implements StreamReader {
    private final StreamReader reader;
    private final Supplier<Bookmark> atEnd;
    private Optional<Bookmark> end = Optional.empty();

    /**
     * Wraps a reader.
     *
     * @param reader the reader
     * @param atEnd makes the bookmark, once, when {@link #next()} first reports the end
     */
    public EndBookmarkReader(StreamReader reader, Supplier<Bookmark> atEnd) {
        this.reader = reader;
        this.atEnd = atEnd;
    }

    @Override
    public Optional<RowBatch> next() {
        Optional<RowBatch> batch = reader.next();
        if (batch.isEmpty() && end.isEmpty()) {
            end = Optional.of(atEnd.get());
        }
        return batch;
    }

    @Override
    public Optional<Bookmark> bookmark() {
        return end;
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return "EndBookmarkReader[" + reader + "]";
    }
}
