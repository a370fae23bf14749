package org.phicourier.jdbc;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.phicourier.jdbc.internal.TypeOptions;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamReader;

/** Adds to a reader the counts of values its type options changed during this read. */
final class CountingReader implements StreamReader {
    private final StreamReader reader;
    private final String stream;
    private final TypeOptions options;
    private final Map<String, Long> before;

    CountingReader(StreamReader reader, String stream, TypeOptions options) {
        this.reader = reader;
        this.stream = stream;
        this.options = options;
        this.before = options.counts(stream);
    }

    @Override
    public Optional<RowBatch> next() {
        return reader.next();
    }

    @Override
    public Optional<Bookmark> bookmark() {
        return reader.bookmark();
    }

    @Override
    public OptionalLong expectedRecords() {
        return reader.expectedRecords();
    }

    @Override
    public Map<String, Long> counters() {
        return options.countsSince(stream, before);
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return reader.toString();
    }
}
