package org.phicourier.spi;

import java.util.List;

/**
 * Where records come from: one or more streams, each read in batches.
 *
 * <p>A pipeline calls {@link #discover()} once, before it reads anything, so that every stream's
 * schema is known and every transformer has accepted it; then it opens the streams one by one and
 * finally closes the source. Implementations need not be thread-safe: a pipeline uses a source from
 * one run at a time.
 */
public interface Source extends AutoCloseable {
    /**
     * Lists the streams this source will deliver, with their schemas.
     *
     * @return the streams in the order they will be read
     * @throws org.phicourier.ConfigurationException when a requested stream or field does not
     *     exist or has a type the source cannot map
     * @throws org.phicourier.SourceException when the source cannot be reached
     */
    List<StreamDescriptor> discover();

    /**
     * Starts reading one stream.
     *
     * @param stream a descriptor returned by {@link #discover()}
     * @return a reader positioned before the first record
     * @throws org.phicourier.SourceException when reading cannot start
     */
    StreamReader open(StreamDescriptor stream);

    /** Releases connections and other resources; does nothing by default. */
    @Override
    default void close() {
    }
}
