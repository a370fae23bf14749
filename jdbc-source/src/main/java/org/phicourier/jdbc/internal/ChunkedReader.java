package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table in key order, a chunk at a time: each chunk is one query for the rows after the
 * last key delivered ({@code ORDER BY key LIMIT n}) in a short transaction of its own, so a huge
 * table is neither one long transaction nor lost work when a read fails. After every batch
 * {@link #bookmark()} tells where the read stands. See {@link ReadBounds} for how incremental
 * reads are bounded. Not thread-safe.
 */
public final class ChunkedReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkedReader.class);

    private final StreamPlan plan;
    private final Keyset keyset;
    private final Connection connection;
    private final Dialect dialect;
    private final Settings settings;
    private final ReadPosition position;
    private final RowDecoder decoder;
    private PreparedStatement statement;
    private ResultSet rows;
    private int rowsInChunk;
    private long delivered;

    /**
     * How a chunked read goes.
     *
     * @param fetchSize rows per round trip
     * @param batchSize rows per batch
     * @param chunkSize rows per chunk query
     * @param settleTimeout how long a locked bound waits for writers
     */
    public record Settings(int fetchSize, int batchSize, int chunkSize, Duration settleTimeout) {
    }

    private ChunkedReader(StreamPlan plan, Connection connection, Dialect dialect,
            Settings settings, ReadPosition position) {
        this.plan = plan;
        this.keyset = plan.keyset().orElseThrow();
        this.connection = connection;
        this.dialect = dialect;
        this.settings = settings;
        this.position = position;
        this.decoder = new RowDecoder(plan);
    }

    /**
     * Starts or continues a read on its own connection.
     *
     * @param plan a plan with a keyset
     * @param connection a fresh connection, closed with the reader
     * @param dialect the database's dialect
     * @param settings sizes and timeouts
     * @param from the bookmark to continue from: in the middle of a read, or at the end of the
     *     previous one
     * @return the reader
     */
    public static ChunkedReader open(StreamPlan plan, Connection connection, Dialect dialect,
            Settings settings, Optional<Bookmark> from) {
        String stream = plan.descriptor().name();
        Keyset keyset = plan.keyset().orElseThrow();
        try {
            dialect.prepare(connection);
            Optional<ReadPosition> saved = from.map(b -> ReadPosition.from(b, keyset.method(),
                    keyset.keys(), stream));
            ReadPosition position = saved.isPresent()
                    && saved.get().phase != ReadPosition.Phase.DONE ? saved.get()
                    : new ReadStart(new ReadBounds(connection, keyset, dialect, stream),
                            settings.settleTimeout()).next(keyset.method(), saved);
            LOG.debug("stream '{}': chunked read {} opened", stream, position);
            return new ChunkedReader(plan, connection, dialect, settings, position);
        } catch (SQLException e) {
            close(connection);
            throw SqlFailures.wrap("stream '" + stream + "': the read could not start", e);
        } catch (RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    @Override
    public Optional<RowBatch> next() {
        Schema schema = plan.descriptor().schema();
        List<Row> batch = new ArrayList<>(settings.batchSize());
        long first = delivered + 1;
        try {
            while (batch.size() < settings.batchSize() && advance()) {
                batch.add(Row.of(schema, decodeRow()));
                delivered++;
            }
        } catch (SQLException e) {
            throw RowDecoder.readingFailed(name(), delivered + 1, e);
        }
        return batch.isEmpty() ? Optional.empty() : Optional.of(RowBatch.of(schema, batch, first));
    }

    /** Moves to the next row, running chunk queries and phases as needed; false at the end. */
    private boolean advance() throws SQLException {
        while (position.phase != ReadPosition.Phase.DONE) {
            if (rows == null) {
                startChunk();
            }
            if (rows.next()) {
                rowsInChunk++;
                return true;
            }
            boolean phaseEnded = rowsInChunk < settings.chunkSize();
            endChunk();
            if (phaseEnded) {
                ReadStart.endPhase(position);
            }
        }
        return false;
    }

    private void startChunk() throws SQLException {
        Query query = new ChunkQuery(keyset, dialect).next(position, settings.chunkSize());
        statement = query.prepare(connection, settings.fetchSize());
        rows = statement.executeQuery();
        rowsInChunk = 0;
    }

    private void endChunk() throws SQLException {
        try {
            rows.close();
            statement.close();
        } finally {
            rows = null;
            statement = null;
        }
        ReadBounds.endTransaction(connection);
    }

    private Object[] decodeRow() {
        try {
            Object[] values = decoder.values(rows);
            position.last = Optional.of(decoder.key(rows));
            return values;
        } catch (RowDecoder.FieldFailure e) {
            throw e.at(name(), delivered + 1);
        }
    }

    @Override
    public Optional<Bookmark> bookmark() {
        return Optional.of(position.toBookmark(keyset.keys()));
    }

    private String name() {
        return plan.descriptor().name();
    }

    @Override
    public void close() {
        LOG.debug("stream '{}': chunked read closed after {} rows at {}", name(), delivered,
                position);
        try {
            if (statement != null) {
                statement.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing a statement failed ({})", SqlFailures.describe(e));
        }
        close(connection);
    }

    private static void close(Connection connection) {
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
        return "ChunkedReader[" + name() + ", row " + delivered + "]";
    }
}
