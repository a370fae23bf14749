package org.phicourier.http.state;

import org.phicourier.spi.Source;

/**
 * A source whose progress (bookmarks, drained spool entries) becomes durable only when its
 * caller confirms the run succeeded, so that a failed or interrupted run is read again in full
 * and nothing is skipped.
 *
 * <pre>{@code
 * RunReport report = Pipeline.from(source).through(masking).to(sink).build().run();
 * source.commitProgress();   // only reached when every stream was committed
 * }</pre>
 */
public interface CommittableSource extends Source {
    /**
     * Makes the progress of the streams read to their end durable: saves their bookmarks or
     * removes the spooled entries they delivered. Streams not read to their end keep their old
     * progress. Call it once, after {@link org.phicourier.Pipeline#run()} returned.
     *
     * @throws org.phicourier.ConfigurationException when the progress cannot be stored
     */
    void commitProgress();
}
