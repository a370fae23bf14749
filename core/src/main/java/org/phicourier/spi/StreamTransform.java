package org.phicourier.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;

/**
 * A {@link Transformer} bound to one stream.
 *
 * <p>Not thread-safe: a pipeline applies it to the batches of its stream in order, from one thread.
 * When every transformation of a stream offers a {@link #copy()}, the pipeline may apply copies to
 * different batches on several threads at once, each copy still from one thread, and hands the
 * results on in the order the batches were read.
 */
public interface StreamTransform {
    /**
     * Returns the schema of the records this transformation produces.
     *
     * @return the output schema
     */
    Schema outputSchema();

    /**
     * Transforms one batch.
     *
     * @param batch records following the input schema
     * @return records following {@link #outputSchema()}; may hold fewer records than the input
     * @throws org.phicourier.SchemaViolationException when a record cannot be transformed; the
     *     message names the stream, field and row position, never the value
     */
    RowBatch apply(RowBatch batch);

    /**
     * Returns counters for the run report, such as values masked per operation.
     *
     * <p>Keys and values are names and counts only; never a record value.
     *
     * @return counters by name; empty by default
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * Returns, and forgets, what the records this transformation set aside into its quarantine
     * since the last call were: rule, field and position, never a value. The pipeline calls it
     * after each batch, from the thread that called {@link #apply}, to record each one in the
     * audit trail.
     *
     * @return the notes, in order; empty by default
     */
    default List<QuarantineNote> takeQuarantined() {
        return List.of();
    }

    /**
     * Returns a new transformation bound like this one, for a pipeline that transforms several
     * batches at once, one copy per thread; or nothing when this one must see every batch of
     * the stream, in order.
     *
     * <p>The pipeline calls it when a stream starts, on the thread that runs the pipeline, once
     * for each transform thread beyond the first, which this transformation serves. A copy
     * declares the same {@link #outputSchema()}.
     *
     * <p>Offer a copy only when the result of a batch depends on that batch alone: not on
     * records of earlier batches (such as names remembered to scrub later notes), and not on a
     * destination that is unsafe to call from several threads (such as a quarantine that takes
     * the withheld records). A copy starts with its counters at zero and counts only the
     * batches it transforms: the pipeline sums the counters of all copies, so a constant counter
     * belongs to the original alone. {@link #takeQuarantined()} of a copy tells of the batches
     * that copy transformed.
     *
     * @return a fresh copy, or nothing (the default) to be applied from one thread
     */
    default Optional<StreamTransform> copy() {
        return Optional.empty();
    }
}
