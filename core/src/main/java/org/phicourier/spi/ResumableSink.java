package org.phicourier.spi;

import org.phicourier.RunReport;
import org.phicourier.state.RunManifest;

/**
 * A sink that a pipeline with state can resume: besides writing deterministic object series (see
 * {@link StreamContext#objectSeries()}), it cleans up after earlier runs and publishes a manifest
 * per run.
 *
 * <p>A pipeline with state owns the sink's destination (for the S3 sink, its prefix): another
 * pipeline writing there would have its objects and uploads removed. Implementations are
 * thread-safe.
 */
public interface ResumableSink extends Sink {
    /**
     * Aborts the unfinished uploads that earlier runs of this pipeline left behind, such as a run
     * that was killed. Called once per run, after the run has taken over the state.
     *
     * @return how many uploads were aborted
     * @throws org.phicourier.SinkException when the destination fails
     */
    int abortAbandonedUploads();

    /**
     * Removes every object of one generation of a stream, once a newer generation is complete.
     *
     * @param stream the stream name
     * @param generation the generation to remove
     * @return how many objects were removed
     * @throws org.phicourier.SinkException when the destination fails
     */
    int retireGeneration(String stream, long generation);

    /**
     * Removes the objects of a generation from a sequence number on that runs older than the
     * given epoch completed but never committed (a run that failed or was killed between
     * completing an object and saving its bookmark). Objects of the given or a newer epoch are
     * left alone, so a newer run that took over the state keeps its objects.
     *
     * @param stream the stream name
     * @param generation the generation
     * @param fromSequence the first sequence number that is not committed
     * @param epoch the epoch of the calling run
     * @return how many objects were removed
     * @throws org.phicourier.SinkException when the destination fails
     */
    int discardUncommitted(String stream, long generation, long fromSequence, long epoch);

    /**
     * Stores the manifest of a run, replacing an earlier manifest of the same run.
     *
     * @param manifest what the run committed
     * @throws org.phicourier.SinkException when the destination fails
     */
    void publish(RunManifest manifest);

    /**
     * Stores the report of a completed run beside its manifest, for people and programs that
     * audit the destination; does nothing by default. A report holds counts, names, ids and
     * object keys only, never a record value.
     *
     * @param report what the run did
     * @throws org.phicourier.SinkException when the report cannot be stored
     */
    default void publishReport(RunReport report) {
    }
}
