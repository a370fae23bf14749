package org.phicourier.spi;

import java.util.Optional;
import org.phicourier.model.RowBatch;

/**
 * Writes the records of one stream into the destination.
 *
 * <p>Without an {@link StreamContext#objectSeries() object series} (a run without state), a
 * stream's output becomes visible all at once or not at all: objects completed before
 * {@link #commit()} count as written only when commit succeeds, and {@link #abort()} removes them
 * and cancels any unfinished upload.
 *
 * <p>With an object series (a run with state), objects are completed only at
 * {@link #checkpoint(boolean)}, between batches, and each object completed there belongs to the
 * pipeline from then on: {@link #abort()} cancels the unfinished object only.
 *
 * <p>Not thread-safe: a pipeline calls it from one thread.
 */
public interface StreamWriter extends AutoCloseable {
    /**
     * Writes one batch.
     *
     * @param batch records following the schema given when the writer was opened
     * @throws org.phicourier.SinkException when the destination fails after its retries
     */
    void write(RowBatch batch);

    /**
     * Offers a point between batches where the stream could later resume. With an object series
     * the writer completes its current object here when it has reached its size limits, or when
     * {@code last} is true and it holds any record, and returns it. Without one, and by default,
     * nothing happens.
     *
     * @param last true at the end of the stream
     * @return the object completed here, if any
     * @throws org.phicourier.SinkException when the object cannot be completed, or a newer run
     *     has written an object of the same name
     */
    default Optional<StoredObject> checkpoint(boolean last) {
        return Optional.empty();
    }

    /**
     * Completes the stream's output.
     *
     * @return what was written
     * @throws org.phicourier.SinkException when the last object cannot be completed
     */
    WriteResult commit();

    /**
     * Abandons the stream's output: aborts unfinished uploads and, without an object series,
     * removes completed objects.
     */
    void abort();

    /** Releases resources; aborts when neither commit nor abort has been called. */
    @Override
    void close();
}
