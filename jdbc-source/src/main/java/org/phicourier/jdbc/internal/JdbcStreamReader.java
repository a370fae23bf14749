package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.phicourier.SourceException;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Streams one planned statement through a cursor, a batch at a time. Not thread-safe. */
public final class JdbcStreamReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStreamReader.class);

    private final StreamPlan plan;
    private final Connection connection;
    private final Statement statement;
    private final ResultSet rows;
    private final int batchSize;
    private final OptionalLong expected;
    private long position;
    private boolean exhausted;

    private JdbcStreamReader(StreamPlan plan, Connection connection, Statement statement,
            ResultSet rows, int batchSize, OptionalLong expected) {
        this.plan = plan;
        this.expected = expected;
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.batchSize = batchSize;
    }

    /**
     * Starts reading a stream on its own connection.
     *
     * @param plan what to read
     * @param connection a fresh connection, closed with the reader
     * @param dialect the database's dialect
     * @param fetchSize rows per round trip
     * @param batchSize rows per batch
     * @return the reader
     */
    public static JdbcStreamReader open(StreamPlan plan, Connection connection, Dialect dialect,
            int fetchSize, int batchSize) {
        return open(plan, connection, dialect, fetchSize, batchSize, false);
    }

    /**
     * Starts reading a stream on its own connection, counting its rows first when asked.
     *
     * @param plan what to read
     * @param connection a fresh connection, closed with the reader
     * @param dialect the database's dialect
     * @param fetchSize rows per round trip
     * @param batchSize rows per batch
     * @param countFirst true to count the rows before reading them
     * @return the reader
     */
    public static JdbcStreamReader open(StreamPlan plan, Connection connection, Dialect dialect,
            int fetchSize, int batchSize, boolean countFirst) {
        String stream = plan.descriptor().name();
        Statement statement = null;
        try {
            OptionalLong expected = countFirst ? count(plan, connection) : OptionalLong.empty();
            statement = dialect.streamingStatement(connection, fetchSize);
            ResultSet rows = statement.executeQuery(plan.sql());
            if (rows.getMetaData().getColumnCount() != plan.decoders().size()) {
                throw new SourceException("stream '" + stream
                        + "': the table's columns changed since the run started");
            }
            LOG.debug("stream '{}': cursor opened", stream);
            return new JdbcStreamReader(plan, connection, statement, rows, batchSize, expected);
        } catch (SQLException e) {
            closeQuietly(statement, connection);
            throw SqlFailures.wrap("stream '" + stream + "': the query failed", e);
        } catch (RuntimeException e) {
            closeQuietly(statement, connection);
            throw e;
        }
    }

    private static OptionalLong count(StreamPlan plan, Connection connection)
            throws SQLException {
        try (Statement counting = connection.createStatement();
                ResultSet result = counting.executeQuery("SELECT COUNT(*) FROM (" + plan.sql()
                        + ") phi_courier_count")) {
            return result.next() ? OptionalLong.of(result.getLong(1)) : OptionalLong.empty();
        }
    }

    @Override
    public OptionalLong expectedRecords() {
        return expected;
    }

    @Override
    public Optional<RowBatch> next() {
        if (exhausted) {
            return Optional.empty();
        }
        Schema schema = plan.descriptor().schema();
        List<Row> batch = new ArrayList<>(batchSize);
        long first = position + 1;
        try {
            while (batch.size() < batchSize && rows.next()) {
                position++;
                batch.add(Row.of(schema, decodeRow()));
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("stream '" + plan.descriptor().name() + "', row "
                    + (position + 1) + ": reading failed", e);
        }
        if (batch.size() < batchSize) {
            exhausted = true;
        }
        return batch.isEmpty() ? Optional.empty() : Optional.of(RowBatch.of(schema, batch, first));
    }

    private Object[] decodeRow() {
        List<ColumnDecoder> decoders = plan.decoders();
        Object[] values = new Object[decoders.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = decoders.get(i).read(rows, i + 1);
            } catch (SQLException | RuntimeException e) {
                throw decodeFailure(i, e);
            }
        }
        return values;
    }

    private RuntimeException decodeFailure(int column, Exception e) {
        var field = plan.descriptor().schema().field(column);
        String context = "stream '" + plan.descriptor().name() + "', field '" + field.name()
                + "', row " + position + ": the value cannot be read as " + field.type()
                + " from " + field.sourceType().orElse("its column type");
        if (e instanceof SQLException) {
            return SqlFailures.wrap(context, (SQLException) e);
        }
        if (e instanceof OutOfRangeValueException) {
            return new SourceException(context + ": " + e.getMessage());
        }
        return new SourceException(context + " (" + e.getClass().getName() + ")");
    }

    @Override
    public void close() {
        LOG.debug("stream '{}': cursor closed after {} rows", plan.descriptor().name(), position);
        closeQuietly(statement, connection);
    }

    private static void closeQuietly(Statement statement, Connection connection) {
        try {
            if (statement != null) {
                statement.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing a statement failed ({})", SqlFailures.describe(e));
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a connection failed ({})", SqlFailures.describe(e));
        }
    }

    @Override
    public String toString() {
        return "JdbcStreamReader[" + plan.descriptor().name() + ", row " + position + "]";
    }
}
