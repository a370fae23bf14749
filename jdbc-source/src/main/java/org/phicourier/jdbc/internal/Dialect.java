package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What each database needs so that a large result streams instead of loading into memory, and so
 * that date-time values read the same on every machine.
 */
public enum Dialect {
    /**
     * PostgreSQL: a fetch size only takes effect inside a transaction, where the driver then reads
     * through a server-side portal (cursor) a window of rows at a time.
     */
    POSTGRESQL {
        @Override
        void prepare(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            execute(connection, "SET TIME ZONE 'UTC'");
        }
    },
    /**
     * MariaDB: with a positive fetch size the driver streams the result, reading rows from the
     * socket as they are consumed; the session time zone is pinned to UTC so that TIMESTAMP
     * columns read as instants in UTC.
     */
    MARIADB {
        @Override
        void prepare(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            execute(connection, "SET time_zone = '+00:00'");
        }
    },
    /**
     * MySQL with Connector/J: {@code Integer.MIN_VALUE} as fetch size makes the driver stream row
     * by row (with {@code useCursorFetch=true} in the URL it uses a server-side cursor instead).
     */
    MYSQL {
        @Override
        void prepare(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            execute(connection, "SET time_zone = '+00:00'");
        }

        @Override
        int fetchSize(int requested) {
            return Integer.MIN_VALUE;
        }
    },
    /**
     * H2: without lazy query execution H2 materialises large results, spilling them to temporary
     * files in plaintext; lazy execution produces rows as they are read.
     */
    H2 {
        @Override
        void prepare(Connection connection) throws SQLException {
            execute(connection, "SET LAZY_QUERY_EXECUTION TRUE");
            execute(connection, "SET TIME ZONE 'UTC'");
        }
    },
    /** Any other database: a read-only transaction and a fetch size hint. */
    OTHER {
        @Override
        void prepare(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
        }
    };

    /**
     * Identifies the dialect from the product name the driver reports.
     *
     * @param productName {@code DatabaseMetaData.getDatabaseProductName()}
     * @return the dialect
     */
    public static Dialect of(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb")) {
            return MARIADB;
        }
        if (name.contains("mysql")) {
            return MYSQL;
        }
        return name.equals("h2") ? H2 : OTHER;
    }

    /** Configures a connection that will read one stream. */
    abstract void prepare(Connection connection) throws SQLException;

    /** Returns the fetch size to set on the statement. */
    int fetchSize(int requested) {
        return requested;
    }

    /**
     * Prepares a connection and creates a forward-only, read-only statement that streams.
     *
     * @param connection a fresh connection
     * @param requestedFetchSize rows per round trip
     * @return the statement
     * @throws SQLException when the database refuses a setting
     */
    public Statement streamingStatement(Connection connection, int requestedFetchSize)
            throws SQLException {
        prepare(connection);
        Statement statement = connection.createStatement(java.sql.ResultSet.TYPE_FORWARD_ONLY,
                java.sql.ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(fetchSize(requestedFetchSize));
        return statement;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
