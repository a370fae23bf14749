package org.phicourier.spi;

import java.util.Optional;
import org.phicourier.model.RowBatch;

/**
 * Reads the records of one stream in batches, in source order.
 *
 * <p>Not thread-safe: a pipeline calls it from one thread. Memory held by a reader must not grow
 * with the size of the stream.
 */
public interface StreamReader extends AutoCloseable {
    /**
     * Reads the next batch.
     *
     * @return the next batch, never empty; or nothing once the stream is exhausted
     * @throws org.phicourier.SourceException when the source fails; the message names the stream
     *     and the row position
     */
    Optional<RowBatch> next();

    /** Releases the cursor or connection behind this reader. */
    @Override
    void close();
}
