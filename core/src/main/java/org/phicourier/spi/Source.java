package org.phicourier.spi;

import java.util.List;
import java.util.Optional;
import org.phicourier.ConfigurationException;

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

    /**
     * Tells how a stream is read from run to run. Called after {@link #discover()}.
     *
     * @param stream a descriptor returned by {@link #discover()}
     * @return the stream's replication; a full refresh that cannot resume by default
     */
    default Replication replication(StreamDescriptor stream) {
        return Replication.fullRefresh();
    }

    /**
     * Starts reading one stream from a bookmark that one of this source's readers gave.
     *
     * <p>For an incremental stream the bookmark is the one saved last: either from the middle of
     * a read, which then continues after the batch it marks, or from the end of a read, after
     * which the source starts the next incremental read. For a full refresh it marks a point
     * in the middle of the read. Without a bookmark the stream is read from its beginning.
     *
     * @param stream a descriptor returned by {@link #discover()}
     * @param from the bookmark to continue from, if any
     * @return a reader positioned after the bookmark
     * @throws ConfigurationException when a bookmark is given to a source that cannot resume,
     *     or the bookmark does not belong to this stream's read method
     * @throws org.phicourier.SourceException when reading cannot start
     */
    default StreamReader open(StreamDescriptor stream, Optional<Bookmark> from) {
        if (from.isPresent()) {
            throw new ConfigurationException("stream '" + stream.name()
                    + "': this source cannot continue from a bookmark");
        }
        return open(stream);
    }

    /** Releases connections and other resources; does nothing by default. */
    @Override
    default void close() {
    }
}
