package org.phicourier.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads one column of the current row as the Java value its field type prescribes. */
@FunctionalInterface
interface ColumnDecoder {
    /**
     * Reads the value.
     *
     * @param rows positioned on a row
     * @param column the one-based column index
     * @return the value, or null for SQL NULL
     */
    Object read(ResultSet rows, int column) throws SQLException;
}
