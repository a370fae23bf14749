package org.phicourier.model;

import java.util.List;
import java.util.Objects;

/**
 * A run of consecutive rows of one stream, the unit in which records move through a pipeline.
 *
 * <p>Instances are immutable and thread-safe. {@link #firstPosition()} is the one-based position
 * in the stream of the first row as the source read it, so that an error can name the row without
 * naming its values.
 */
public final class RowBatch {
    private final Schema schema;
    private final List<Row> rows;
    private final long firstPosition;

    private RowBatch(Schema schema, List<Row> rows, long firstPosition) {
        this.schema = schema;
        this.rows = rows;
        this.firstPosition = firstPosition;
    }

    /**
     * Creates a batch.
     *
     * @param schema the schema all rows follow
     * @param rows the rows in source order
     * @param firstPosition the one-based stream position of the first row
     * @return the batch
     * @throws IllegalArgumentException when the position is below one
     */
    public static RowBatch of(Schema schema, List<Row> rows, long firstPosition) {
        if (firstPosition < 1) {
            throw new IllegalArgumentException("positions start at 1");
        }
        return new RowBatch(Objects.requireNonNull(schema, "schema"), List.copyOf(rows),
                firstPosition);
    }

    /**
     * Returns the schema all rows follow.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * Returns the rows in source order.
     *
     * @return an unmodifiable list
     */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Returns the number of rows.
     *
     * @return the row count
     */
    public int size() {
        return rows.size();
    }

    /**
     * Returns the one-based stream position of the first row.
     *
     * @return the position
     */
    public long firstPosition() {
        return firstPosition;
    }

    @Override
    public String toString() {
        return "RowBatch[rows=" + rows.size() + ", firstPosition=" + firstPosition + "]";
    }
}
