package org.phicourier.internal;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.phicourier.PhiCourierException;
import org.phicourier.SourceException;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamReader;

/**
 * Reads batches on a thread of its own and transforms them on a second one, each stage handing
 * on through a bounded queue, so that reading, transforming and writing overlap while the
 * slowest sets the pace. The transformation sees the batches in order, from one thread, as
 * {@link org.phicourier.spi.StreamTransform} requires. Each batch travels with the reader's
 * bookmark after it, and the end of the stream with the reader's final bookmark.
 */
final class BatchPump implements AutoCloseable {
    private static final long POLL_MILLIS = 100;

    private final String stream;
    private final StreamReader reader;
    private final UnaryOperator<RowBatch> transform;
    private final BlockingQueue<Item> read;
    private final BlockingQueue<Item> transformed;
    private final Thread reading;
    private final Thread transforming;
    private volatile boolean stopped;
    private Optional<Bookmark> bookmark = Optional.empty();
    private int readSize;

    /**
     * One queue entry: a batch with the size it was read with, the end of the stream, or the
     * failure that ended it.
     */
    private record Item(RowBatch batch, int readSize, Optional<Bookmark> bookmark,
            Throwable failure) {
        static Item failed(Throwable failure) {
            return new Item(null, 0, Optional.empty(), failure);
        }
    }

    BatchPump(String stream, StreamReader reader, int capacity,
            UnaryOperator<RowBatch> transform) {
        this.stream = stream;
        this.reader = reader;
        this.transform = transform;
        // The two stages share the capacity, so as many batches wait as with one queue.
        this.read = new ArrayBlockingQueue<>(Math.max(1, capacity / 2));
        this.transformed = new ArrayBlockingQueue<>(Math.max(1, capacity - capacity / 2));
        this.reading = start(this::pump, "phi-courier-read-" + stream);
        this.transforming = start(this::transformAll, "phi-courier-transform-" + stream);
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Returns the next transformed batch, or nothing at the end; rethrows the failure of the
     * reader or of the transformation.
     */
    Optional<RowBatch> take() {
        Item item;
        try {
            item = transformed.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("stream '" + stream + "': interrupted while reading", e);
        }
        rethrow(item.failure);
        bookmark = item.bookmark;
        readSize = item.readSize;
        return Optional.ofNullable(item.batch);
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
    }

    /**
     * Returns the reader's bookmark after the batch {@link #take()} returned last, or after the
     * end of the stream once it returned nothing.
     */
    Optional<Bookmark> bookmark() {
        return bookmark;
    }

    /** Returns how many records the batch {@link #take()} returned last held when read. */
    int readSize() {
        return readSize;
    }

    private void pump() {
        try {
            Optional<RowBatch> batch = reader.next();
            while (batch.isPresent()
                    && offer(read, new Item(batch.get(), 0, reader.bookmark(), null))) {
                batch = reader.next();
            }
            offer(read, new Item(null, 0, reader.bookmark(), null));
        } catch (PhiCourierException e) {
            offer(read, Item.failed(e));
        } catch (RuntimeException e) {
            // A reader bug must not leak a driver message that may quote a value.
            offer(read, Item.failed(new SourceException("stream '" + stream
                    + "': reader failed with " + e.getClass().getName())));
        } catch (Error e) {
            offer(read, Item.failed(e));
        }
    }

    private void transformAll() {
        try {
            Item item = poll();
            while (item != null && item.batch != null) {
                RowBatch result = transform.apply(item.batch);
                if (!offer(transformed, new Item(result, item.batch.size(), item.bookmark,
                        null))) {
                    return;
                }
                item = poll();
            }
            if (item != null) {
                offer(transformed, item);
            }
        } catch (RuntimeException | Error e) {
            // Passed on as thrown: a transformer's messages name fields and rows, not values.
            offer(transformed, Item.failed(e));
        }
    }

    /** Takes the next read item, or nothing once stopped. */
    private Item poll() {
        try {
            while (!stopped) {
                Item item = read.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private boolean offer(BlockingQueue<Item> queue, Item item) {
        try {
            while (!stopped) {
                if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Stops both stages and waits for their threads, so the reader can be closed safely. */
    @Override
    public void close() {
        stopped = true;
        read.clear();
        transformed.clear();
        try {
            transforming.join();
            reading.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
