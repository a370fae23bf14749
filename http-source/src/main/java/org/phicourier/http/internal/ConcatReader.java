package org.phicourier.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.StreamReader;

/**
 * Reads several readers one after the other as one stream, opening each only when the one
 * before it is exhausted and closing it then, so one download is open at a time. Batch positions
 * count through the whole stream; a part's own errors name its URL and its own line. Not
 * thread-safe.
 */
public final class ConcatReader implements StreamReader {
    private final List<Supplier<StreamReader>> parts;
    private int next;
    private long delivered;
    private Optional<StreamReader> current = Optional.empty();

    /**
     * Joins readers.
     *
     * @param parts opens each reader, in order
     */
    public ConcatReader(List<Supplier<StreamReader>> parts) {
        this.parts = new ArrayList<>(parts);
    }

    @Override
    public Optional<RowBatch> next() {
        while (true) {
            if (current.isEmpty()) {
                if (next == parts.size()) {
                    return Optional.empty();
                }
                current = Optional.of(parts.get(next++).get());
            }
            Optional<RowBatch> batch = current.get().next();
            if (batch.isPresent()) {
                RowBatch rows = batch.get();
                RowBatch renumbered = RowBatch.of(rows.schema(), rows.rows(), delivered + 1);
                delivered += rows.size();
                return Optional.of(renumbered);
            }
            current.get().close();
            current = Optional.empty();
        }
    }

    @Override
    public void close() {
        current.ifPresent(StreamReader::close);
        current = Optional.empty();
    }

    @Override
    public String toString() {
        return "ConcatReader[" + parts.size() + " parts]";
    }
}
