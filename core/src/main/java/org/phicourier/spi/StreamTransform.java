package org.phicourier.spi;

import java.util.List;
import java.util.Map;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;

/**
 * A {@link Transformer} bound to one stream.
 *
 * <p>Not thread-safe: a pipeline applies it to the batches of its stream in order, from one thread.
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
}
