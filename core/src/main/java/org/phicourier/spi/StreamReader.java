package org.phicourier.spi;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.phicourier.model.RowBatch;

/**
 * Reads the records of one stream in batches, in source order.
 *
 * <p>A reader of a resumable stream (see {@link Replication#resumable()}) gives a
 * {@link #bookmark()} after every batch: opening the stream again from that bookmark delivers
 * exactly the records after that batch. After the last batch, the bookmark marks the end of the
 * read, from which the next incremental read starts.
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

    /**
     * Returns the bookmark after the last batch that {@link #next()} returned, or after the end
     * of the stream once {@code next()} returned nothing.
     *
     * @return the bookmark; nothing for a reader that cannot resume (the default)
     */
    default Optional<Bookmark> bookmark() {
        return Optional.empty();
    }

    /**
     * Returns counters for the run report about what this read did, such as values a type
     * policy changed.
     *
     * <p>Keys and values are names and counts only; never a record value.
     *
     * @return counters by name; empty by default
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * Tells how many records this reader expects to deliver, so that progress can show an
     * estimate of the time remaining. A count taken before reading may be off when rows change
     * meanwhile; it is a hint, never a limit.
     *
     * @return the expected count; nothing when the reader cannot tell (the default)
     */
    default OptionalLong expectedRecords() {
        return OptionalLong.empty();
    }

    /** Releases the cursor or connection behind this reader. */
    @Override
    void close();
}
