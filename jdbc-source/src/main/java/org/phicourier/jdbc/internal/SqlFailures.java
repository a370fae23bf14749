package org.phicourier.jdbc.internal;

import java.sql.SQLException;
import org.phicourier.SourceException;

/**
 * Turns driver exceptions into PHI Courier exceptions without their messages: drivers quote
 * values in messages (a constraint violation shows the key, a cast error shows the text), so only
 * the SQLState, the vendor code and the exception class are kept.
 */
public final class SqlFailures {
    private SqlFailures() {
    }

    /**
     * Wraps a driver exception.
     *
     * @param context what was being done, naming stream, field and row
     * @param e the driver's exception
     * @return an exception whose message and cause hold no driver text
     */
    public static SourceException wrap(String context, SQLException e) {
        return new SourceException(context + " (" + describe(e) + ")", stripped(e));
    }

    /**
     * Describes a driver exception by its codes only.
     *
     * @param e the driver's exception
     * @return for example {@code SQLState 42P01, vendor code 0}
     */
    public static String describe(SQLException e) {
        return "SQLState " + e.getSQLState() + ", vendor code " + e.getErrorCode();
    }

    private static Exception stripped(SQLException e) {
        Exception copy = new Exception(e.getClass().getName() + ": " + describe(e));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
