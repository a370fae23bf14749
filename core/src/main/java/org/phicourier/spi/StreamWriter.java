package org.phicourier.spi;

import org.phicourier.model.RowBatch;

/**
 * Writes the records of one stream into the destination.
 *
 * <p>A stream's output becomes visible all at once or not at all: objects completed before
 * {@link #commit()} count as written only when commit succeeds, and {@link #abort()} removes them
 * and cancels any unfinished upload. Not thread-safe: a pipeline calls it from one thread.
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
     * Completes the stream's output.
     *
     * @return what was written
     * @throws org.phicourier.SinkException when the last object cannot be completed
     */
    WriteResult commit();

    /** Abandons the stream's output: aborts unfinished uploads and removes completed objects. */
    void abort();

    /** Releases resources; aborts when neither commit nor abort has been called. */
    @Override
    void close();
}
