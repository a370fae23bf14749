package org.phicourier.internal;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.phicourier.PhiCourierException;
import org.phicourier.SourceException;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamReader;

/**
 * Reads batches on a thread of its own into a bounded queue, so that reading overlaps with
 * transforming and writing while the slower side sets the pace. Each batch travels with the
 * reader's bookmark after it, and the end of the stream with the reader's final bookmark.
 */
final class BatchPump implements AutoCloseable {
    private static final long POLL_MILLIS = 100;

    private final String stream;
    private final StreamReader reader;
    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private volatile boolean stopped;
    private Optional<Bookmark> bookmark = Optional.empty();

    /** One queue entry: a batch, the end of the stream, or the failure that ended it. */
    private record Item(RowBatch batch, Optional<Bookmark> bookmark, RuntimeException failure) {
        static Item failed(RuntimeException failure) {
            return new Item(null, Optional.empty(), failure);
        }
    }

    BatchPump(String stream, StreamReader reader, int capacity) {
        this.stream = stream;
        this.reader = reader;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::pump, "phi-courier-read-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns the next batch, or nothing at the end; rethrows the reader's failure. */
    Optional<RowBatch> take() {
        Item item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("stream '" + stream + "': interrupted while reading", e);
        }
        if (item.failure != null) {
            throw item.failure;
        }
        bookmark = item.bookmark;
        return Optional.ofNullable(item.batch);
    }

    /**
     * Returns the reader's bookmark after the batch {@link #take()} returned last, or after the
     * end of the stream once it returned nothing.
     */
    Optional<Bookmark> bookmark() {
        return bookmark;
    }

    private void pump() {
        try {
            Optional<RowBatch> batch = reader.next();
            while (batch.isPresent() && offer(new Item(batch.get(), reader.bookmark(), null))) {
                batch = reader.next();
            }
            offer(new Item(null, reader.bookmark(), null));
        } catch (PhiCourierException e) {
            offer(Item.failed(e));
        } catch (RuntimeException e) {
            // A reader bug must not leak a driver message that may quote a value.
            offer(Item.failed(new SourceException("stream '" + stream
                    + "': reader failed with " + e.getClass().getName())));
        }
    }

    private boolean offer(Item item) {
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

    /** Stops reading and waits for the reading thread, so the reader can be closed safely. */
    @Override
    public void close() {
        stopped = true;
        queue.clear();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
