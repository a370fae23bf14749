package org.phicourier.spi;

import org.phicourier.model.Schema;

/**
 * Where records go: serialised, compressed, encrypted and stored.
 *
 * <p>A pipeline calls {@link #prepare()} once before it reads anything, then opens one writer per
 * stream and finally closes the sink. Implementations are thread-safe.
 */
public interface Sink extends AutoCloseable {
    /**
     * Checks that the destination and the keys are usable, before any record is read.
     *
     * @throws org.phicourier.ConfigurationException when the destination or key is wrong or missing
     * @throws org.phicourier.SinkException when the destination cannot be reached
     */
    void prepare();

    /**
     * Starts writing one stream.
     *
     * @param context the run and stream being written
     * @param schema the schema of the records that will arrive
     * @return a writer for that stream
     */
    StreamWriter open(StreamContext context, Schema schema);

    /** Releases resources; does nothing by default. */
    @Override
    default void close() {
    }
}
