package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.phicourier.SourceException;

/**
 * Takes the bound of an incremental read when it starts, so that no row can ever appear below a
 * bookmark after the read has passed it:
 *
 * <ul>
 *   <li>PostgreSQL: the transaction horizon, the oldest transaction id still running. Every
 *       transaction below it has ended, so the row versions it wrote are all visible now; the
 *       read delivers the versions written between the previous horizon and this one, whatever
 *       their cursor values.</li>
 *   <li>MariaDB and MySQL: the newest key tuple, read under {@code LOCK TABLES ... READ}, which
 *       waits until every transaction that wrote the table has ended and keeps new writers out
 *       for the moment of the read. Rows written afterwards get higher cursor values when the
 *       database assigns them as it writes (AUTO_INCREMENT, CURRENT_TIMESTAMP).</li>
 *   <li>Other databases, when allowed: the newest key tuple, without waiting.</li>
 * </ul>
 */
final class ReadBounds {
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    private final Connection connection;
    private final Keyset keyset;
    private final Dialect dialect;
    private final String stream;

    ReadBounds(Connection connection, Keyset keyset, Dialect dialect, String stream) {
        this.connection = connection;
        this.keyset = keyset;
        this.dialect = dialect;
        this.stream = stream;
    }

    /** Returns the PostgreSQL transaction horizon as a 64-bit transaction id. */
    long horizon() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text")) {
            rows.next();
            long horizon = Long.parseLong(rows.getString(1));
            endTransaction(connection);
            return horizon;
        }
    }

    /** Returns the newest key tuple once no transaction is writing the table. */
    Optional<Object[]> lockedNewest(Duration timeout) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long seconds = Math.max(1, timeout.toSeconds());
            statement.execute("SET SESSION lock_wait_timeout = " + seconds);
            statement.execute("SET SESSION innodb_lock_wait_timeout = " + seconds);
            lock(statement, timeout);
            try {
                return newest();
            } finally {
                statement.execute("UNLOCK TABLES");
                endTransaction(connection);
            }
        }
    }

    private void lock(Statement statement, Duration timeout) throws SQLException {
        try {
            statement.execute("LOCK TABLES " + keyset.table() + " READ");
        } catch (SQLException e) {
            if (e.getErrorCode() == LOCK_WAIT_TIMEOUT) {
                throw new SourceException("stream '" + stream + "': transactions writing the"
                        + " table did not end within " + timeout.toSeconds() + " s, so the read"
                        + " could not take its bound; nothing was read, run again later ("
                        + SqlFailures.describe(e) + ")");
            }
            throw e;
        }
    }

    /** Returns the newest key tuple now. */
    Optional<Object[]> newest() throws SQLException {
        List<KeyColumn> keys = keyset.keys();
        StringBuilder sql = new StringBuilder("SELECT ");
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(keys.get(i).quoted());
            order.append(i > 0 ? ", " : "").append(keys.get(i).quoted()).append(" DESC");
        }
        sql.append(" FROM ").append(keyset.table()).append(" ORDER BY ").append(order)
                .append(dialect == Dialect.OTHER ? " FETCH FIRST 1 ROWS ONLY" : " LIMIT 1");
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql.toString())) {
            if (!rows.next()) {
                return Optional.empty();
            }
            Object[] tuple = new Object[keys.size()];
            for (int i = 0; i < tuple.length; i++) {
                tuple[i] = keys.get(i).decoder().read(rows, i + 1);
            }
            return Optional.of(tuple);
        }
    }

    /** Ends the transaction of a statement, so no read holds a snapshot longer than a chunk. */
    static void endTransaction(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    @Override
    public String toString() {
        return "ReadBounds[" + stream + "]";
    }
}
