package org.phicourier.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.phicourier.SourceException;

/**
 * Decodes the current row of a keyset read: the selected values, then the key tuple selected
 * after them. A failure names the field but not the row, which only the reader delivering rows
 * knows; {@link FieldFailure#at} completes it. Stateless and thread-safe.
 */
final class RowDecoder {
    private final StreamPlan plan;
    private final List<KeyColumn> keys;

    RowDecoder(StreamPlan plan) {
        this.plan = plan;
        this.keys = plan.keyset().orElseThrow().keys();
    }

    /** Reads the selected values of the current row. */
    Object[] values(ResultSet rows) throws FieldFailure {
        List<ColumnDecoder> decoders = plan.decoders();
        Object[] values = new Object[decoders.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = read(rows, decoders.get(i), i + 1,
                    plan.descriptor().schema().field(i).name());
        }
        return values;
    }

    /** Reads the key tuple of the current row, selected after the values. */
    Object[] key(ResultSet rows) throws FieldFailure {
        int after = plan.decoders().size();
        Object[] key = new Object[keys.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = read(rows, keys.get(i).decoder(), after + i + 1,
                    keys.get(i).field().name());
        }
        return key;
    }

    private static Object read(ResultSet rows, ColumnDecoder decoder, int column, String field)
            throws FieldFailure {
        try {
            return decoder.read(rows, column);
        } catch (SQLException | RuntimeException e) {
            throw new FieldFailure(field, e);
        }
    }

    /**
     * Tells that reading the rows failed, naming the stream and the row, never a value.
     *
     * @param stream the stream name
     * @param row the one-based number of the row being read
     * @param e the driver's exception, whose message is dropped
     * @return the exception to throw
     */
    static SourceException readingFailed(String stream, long row, SQLException e) {
        return SqlFailures.wrap("stream '" + stream + "', row " + row + ": reading failed", e);
    }

    /**
     * A value that could not be read, by field. The problem is kept apart from the exception
     * chain, as a driver's message may quote the value; only its codes or class are passed on.
     */
    static final class FieldFailure extends Exception {
        private static final long serialVersionUID = 1L;

        private final String field;
        private final transient Exception problem;

        FieldFailure(String field, Exception problem) {
            super("field '" + field + "'", null, false, false);
            this.field = field;
            this.problem = problem;
        }

        /** Returns the exception to throw, naming the stream, field and row. */
        SourceException at(String stream, long row) {
            String where = "stream '" + stream + "', field '" + field + "', row " + row;
            if (problem instanceof SQLException e) {
                return SqlFailures.wrap(where + ": the value cannot be read", e);
            }
            if (problem instanceof OutOfRangeValueException) {
                return new SourceException(where + ": " + problem.getMessage());
            }
            return new SourceException(where + ": the value cannot be read ("
                    + problem.getClass().getName() + ")");
        }
    }
}
