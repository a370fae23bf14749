package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.phicourier.SourceException;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table with a one-column integer key in full, on several connections at once. The keys
 * from the bookmark (or the lowest key) to the highest key at the start are split into
 * {@link KeyUnits units}; worker threads read the units in key order, each by one query in a
 * short transaction of its own, and {@link #next()} delivers them strictly in unit order. The
 * rows, batches and bookmarks are thus those of a {@link ChunkedReader}, and either reader
 * continues from the other's bookmark. A unit is started only within a window of as many units
 * ahead of the one being delivered as there are workers, and each unit's queue is bounded, so
 * memory does not depend on how the keys are spread. The consumer side is not thread-safe.
 */
public final class ParallelReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelReader.class);
    /** Pieces of a batch buffered per unit. */
    private static final int QUEUED = 4;
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final Shape shape;
    private final ReadPosition position;
    private final List<BlockingQueue<UnitWorker.Piece>> slots = new ArrayList<>();
    private final List<UnitWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private int started;
    private int delivering;
    private boolean closed;
    private UnitWorker.Rows current;
    private int offset;
    private long delivered;

    /** Opens connections for the workers. */
    @FunctionalInterface
    public interface Connections {
        /**
         * Opens a fresh connection.
         *
         * @return the connection; the reader closes it
         * @throws SQLException when the database refuses
         */
        Connection open() throws SQLException;
    }

    /** What the workers of one read share; immutable. */
    record Shape(StreamPlan plan, Keyset keyset, Dialect dialect, KeyUnits units,
            int fetchSize, int batchSize) {
        String stream() {
            return plan.descriptor().name();
        }
    }

    private ParallelReader(Shape shape, ReadPosition position) {
        this.shape = shape;
        this.position = position;
    }

    /**
     * Tells whether a plan can be read in parallel: a full read in key order by one column of
     * an integer type.
     *
     * @param plan the stream's plan
     * @return true when {@link #open} accepts it
     */
    public static boolean supports(StreamPlan plan) {
        return plan.keyset().filter(k -> k.method() == ReadMethod.FULL_KEYSET)
                .filter(k -> k.keys().size() == 1)
                .map(k -> k.keys().get(0).field().type())
                .filter(t -> t == FieldType.INT32 || t == FieldType.INT64).isPresent();
    }

    /**
     * Starts or continues a read on up to {@code readers} connections of its own.
     *
     * @param plan a plan that {@link #supports} accepts
     * @param connections opens the workers' connections, all closed with the reader
     * @param dialect the database's dialect
     * @param settings sizes: the chunk size is the number of keys per unit
     * @param readers how many connections read at once; at least 1
     * @param from the bookmark to continue from
     * @return the reader, its workers running
     */
    public static ParallelReader open(StreamPlan plan, Connections connections, Dialect dialect,
            ChunkedReader.Settings settings, int readers, Optional<Bookmark> from) {
        Keyset keyset = plan.keyset().orElseThrow();
        String stream = plan.descriptor().name();
        ReadPosition position = from.map(b -> ReadPosition.from(b, keyset.method(),
                keyset.keys(), stream)).filter(p -> p.phase != ReadPosition.Phase.DONE)
                .orElseGet(() -> new ReadPosition(ReadMethod.FULL_KEYSET,
                        ReadPosition.Phase.READ));
        List<Connection> opened = new ArrayList<>();
        try {
            opened.add(prepared(connections, dialect));
            KeyUnits units = units(opened.get(0), keyset, position, settings.chunkSize());
            while (opened.size() < Math.min(readers, units.count())) {
                opened.add(prepared(connections, dialect));
            }
            Shape shape = new Shape(plan, keyset, dialect, units, settings.fetchSize(),
                    settings.batchSize());
            ParallelReader reader = new ParallelReader(shape, position);
            reader.start(opened);
            LOG.debug("stream '{}': parallel read on {} connections, {} units of {} keys",
                    stream, opened.size(), units.count(), units.width());
            return reader;
        } catch (SQLException e) {
            opened.forEach(ParallelReader::abandon);
            throw SqlFailures.wrap("stream '" + stream + "': the read could not start", e);
        } catch (RuntimeException e) {
            opened.forEach(ParallelReader::abandon);
            throw e;
        }
    }

    private static Connection prepared(Connections connections, Dialect dialect)
            throws SQLException {
        Connection connection = connections.open();
        try {
            dialect.prepare(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            abandon(connection);
            throw e;
        }
    }

    /** Reads the key's bounds in one short transaction and splits them into units. */
    private static KeyUnits units(Connection connection, Keyset keyset, ReadPosition position,
            int chunkSize) throws SQLException {
        String key = keyset.keys().get(0).quoted();
        long first;
        long last;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MIN(" + key + "), MAX(" + key
                        + ") FROM " + keyset.table())) {
            rows.next();
            first = rows.getLong(1);
            boolean empty = rows.wasNull();
            last = rows.getLong(2);
            if (empty) {
                first = Long.MIN_VALUE;
                last = Long.MIN_VALUE;
            }
        }
        ReadBounds.endTransaction(connection);
        if (position.last.isPresent()) {
            long after = ((Number) position.last.get()[0]).longValue();
            if (after == Long.MAX_VALUE) {
                return KeyUnits.NONE;
            }
            first = after + 1;
        }
        return KeyUnits.split(first, last, chunkSize);
    }

    private void start(List<Connection> connections) {
        for (int i = 0; i < connections.size(); i++) {
            slots.add(new ArrayBlockingQueue<>(QUEUED + 1));
            UnitWorker worker = new UnitWorker(shape, connections.get(i), new Handout());
            Thread thread = new Thread(worker, "phi-courier-read-" + shape.stream() + "-" + i);
            thread.setDaemon(true);
            workers.add(worker);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    @Override
    public Optional<RowBatch> next() {
        List<Row> batch = new ArrayList<>(shape.batchSize());
        long first = delivered + 1;
        while (batch.size() < shape.batchSize() && available()) {
            int count = Math.min(shape.batchSize() - batch.size(),
                    current.rows().size() - offset);
            batch.addAll(current.rows().subList(offset, offset + count));
            offset += count;
            delivered += count;
            position.last = Optional.of(new Object[] {current.keys().get(offset - 1)});
        }
        return batch.isEmpty() ? Optional.empty()
                : Optional.of(RowBatch.of(shape.plan().descriptor().schema(), batch, first));
    }

    /** Makes rows ready in {@link #current}, moving on through units; false at the end. */
    private boolean available() {
        if (isClosed()) {
            throw new IllegalStateException("stream '" + shape.stream() + "': the reader is"
                    + " closed");
        }
        while (current == null || offset == current.rows().size()) {
            if (delivering == shape.units().count()) {
                position.phase = ReadPosition.Phase.DONE;
                position.last = Optional.empty();
                return false;
            }
            UnitWorker.Piece piece = take(slots.get(delivering % slots.size()));
            if (piece instanceof UnitWorker.Rows rows) {
                current = rows;
                offset = 0;
            } else if (piece instanceof UnitWorker.Failed failed) {
                throw failure(failed.problem());
            } else {
                advance();
            }
        }
        return true;
    }

    private UnitWorker.Piece take(BlockingQueue<UnitWorker.Piece> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("stream '" + shape.stream() + "', row " + (delivered + 1)
                    + ": the read was interrupted");
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void advance() {
        delivering++;
        notifyAll();
    }

    private SourceException failure(Throwable problem) {
        if (problem instanceof RowDecoder.FieldFailure field) {
            return field.at(shape.stream(), delivered + 1);
        }
        if (problem instanceof SQLException e) {
            return RowDecoder.readingFailed(shape.stream(), delivered + 1, e);
        }
        // The message of an unexpected exception may quote a value; only its class is kept.
        return new SourceException("stream '" + shape.stream() + "', row " + (delivered + 1)
                + ": reading failed (" + problem.getClass().getName() + ")");
    }

    @Override
    public Optional<Bookmark> bookmark() {
        return Optional.of(position.toBookmark(shape.keyset().keys()));
    }

    /** Stops the workers and closes every connection, also while they are reading. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (int i = 0; i < threads.size(); i++) {
            if (!join(threads.get(i), deadline)) {
                LOG.warn("stream '{}': a read worker did not stop in time; its connection is"
                        + " aborted", shape.stream());
                abort(workers.get(i).connection());
            }
        }
        LOG.debug("stream '{}': parallel read closed after {} rows at {}", shape.stream(),
                delivered, position);
    }

    private static boolean join(Thread thread, long deadline) {
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private static void abort(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("aborting a read connection failed ({})", e.getClass().getName());
        }
    }

    private static void abandon(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a connection failed ({})", SqlFailures.describe(e));
        }
    }

    /** Tells the workers which unit to read next, within the window ahead of delivery. */
    private final class Handout implements UnitWorker.Units {
        @Override
        public int take() throws InterruptedException {
            synchronized (ParallelReader.this) {
                while (!closed && started < shape.units().count()
                        && started >= delivering + slots.size()) {
                    ParallelReader.this.wait();
                }
                return closed || started == shape.units().count() ? -1 : started++;
            }
        }

        @Override
        public BlockingQueue<UnitWorker.Piece> queue(int unit) {
            return slots.get(unit % slots.size());
        }
    }

    @Override
    public String toString() {
        return "ParallelReader[" + shape.stream() + ", row " + delivered + "]";
    }
}
