package org.phicourier.http.internal;

import java.util.Optional;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.StreamReader;

/** Passes a reader through and runs an action once the stream has been read to its end. */
public final class EndAwareReader implements StreamReader {
    private final StreamReader reader;
    private final Runnable atEnd;
    private boolean ended;

    /**
     * Wraps a reader.
     *
     * @param reader the reader
     * @param atEnd runs once, when {@link #next()} first reports the end
     */
    public EndAwareReader(StreamReader reader, Runnable atEnd) {
        this.reader = reader;
        this.atEnd = atEnd;
    }

    @Override
    public Optional<RowBatch> next() {
        Optional<RowBatch> batch = reader.next();
        if (batch.isEmpty() && !ended) {
            ended = true;
            atEnd.run();
        }
        return batch;
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return "EndAwareReader[" + reader + "]";
    }
}
