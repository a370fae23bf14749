package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread of a {@link ParallelReader}: on its own connection, takes the next unit of keys,
 * reads it by one query in a transaction of its own and hands its rows on in pieces of a batch,
 * until no unit is left, the reader closes or a read fails. A failure is handed on in the
 * unit's place and ends the worker, so the reader throws it when delivery reaches it.
 */
final class UnitWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(UnitWorker.class);

    /** What a unit's queue carries, in order: rows, then an end or a failure. */
    sealed interface Piece permits Rows, End, Failed {
    }

    /** Decoded rows and their keys, at most a batch. */
    record Rows(List<Row> rows, List<Object> keys) implements Piece {
    }

    /** The unit is read completely. */
    record End() implements Piece {
    }

    /** Reading the unit failed at the row after the last one handed on. */
    record Failed(Throwable problem) implements Piece {
    }

    /** Hands units out and keeps their queues. */
    interface Units {
        /** Returns the next unit to read, or -1 when none is left or the read is closed. */
        int take() throws InterruptedException;

        /** Returns the queue of a unit. */
        BlockingQueue<Piece> queue(int unit);
    }

    private final ParallelReader.Shape shape;
    private final Connection connection;
    private final Units units;
    private final RowDecoder decoder;

    UnitWorker(ParallelReader.Shape shape, Connection connection, Units units) {
        this.shape = shape;
        this.connection = connection;
        this.units = units;
        this.decoder = new RowDecoder(shape.plan());
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void run() {
        try {
            for (int unit = units.take(); unit >= 0; unit = units.take()) {
                if (!read(unit)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            LOG.trace("stream '{}': a read worker was stopped", shape.stream());
        } finally {
            Thread.interrupted();
            close();
        }
    }

    /** Reads one unit; false when it failed and the worker ends. */
    private boolean read(int unit) throws InterruptedException {
        BlockingQueue<Piece> queue = units.queue(unit);
        try (PreparedStatement statement = query(unit).prepare(connection, shape.fetchSize());
                ResultSet rows = statement.executeQuery()) {
            pass(rows, queue);
        } catch (SQLException | RowDecoder.FieldFailure | RuntimeException | Error e) {
            // Handed on in the unit's place, so that delivery never waits for a dead worker.
            queue.put(new Failed(e));
            return false;
        }
        try {
            ReadBounds.endTransaction(connection);
        } catch (SQLException e) {
            queue.put(new Failed(e));
            return false;
        }
        queue.put(new End());
        return true;
    }

    private Query query(int unit) {
        KeyColumn key = shape.plan().keyset().orElseThrow().keys().get(0);
        Query query = new Query(shape.dialect()).text("SELECT ").text(shape.keyset().selected())
                .text(", ").text(key.quoted()).text(" FROM ").text(shape.keyset().table())
                .text(" phi_src WHERE ").text(key.quoted()).text(" >= ")
                .number(shape.units().lower(unit));
        OptionalLong upper = shape.units().upper(unit);
        if (upper.isPresent()) {
            query.text(" AND ").text(key.quoted()).text(" < ").number(upper.getAsLong());
        }
        return query.text(" ORDER BY ").text(key.quoted());
    }

    private void pass(ResultSet rows, BlockingQueue<Piece> queue)
            throws SQLException, RowDecoder.FieldFailure, InterruptedException {
        Schema schema = shape.plan().descriptor().schema();
        int size = shape.batchSize();
        List<Row> batch = new ArrayList<>(size);
        List<Object> keys = new ArrayList<>(size);
        try {
            while (rows.next()) {
                Object[] values = decoder.values(rows);
                Object key = decoder.key(rows)[0];
                batch.add(Row.of(schema, values));
                keys.add(key);
                if (batch.size() == size) {
                    queue.put(new Rows(batch, keys));
                    batch = new ArrayList<>(size);
                    keys = new ArrayList<>(size);
                }
            }
        } catch (SQLException | RowDecoder.FieldFailure | RuntimeException e) {
            // The rows read before the failure are delivered first, as on one connection.
            flush(batch, keys, queue);
            throw e;
        }
        flush(batch, keys, queue);
    }

    private static void flush(List<Row> batch, List<Object> keys, BlockingQueue<Piece> queue)
            throws InterruptedException {
        if (!batch.isEmpty()) {
            queue.put(new Rows(batch, keys));
        }
    }

    private void close() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            connection.close();
        } catch (SQLException e) {
            LOG.debug("stream '{}': closing a read connection failed ({})", shape.stream(),
                    SqlFailures.describe(e));
        }
    }

    @Override
    public String toString() {
        return "UnitWorker[" + shape.stream() + "]";
    }
}
