package org.phicourier.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.phicourier.PhiCourierException;
import org.phicourier.SourceException;
import org.phicourier.metrics.RunListener;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.QuarantineNote;
import org.phicourier.spi.StreamReader;

/**
 * Reads batches on a thread of its own and transforms them on one thread per lane, each stage
 * handing on through a bounded queue, so that reading, transforming and writing overlap while
 * the slowest sets the pace. Every lane applies its own copy of the transformations from one
 * thread, as {@link org.phicourier.spi.StreamTransform} requires; transformed batches are handed
 * on in the order they were read, whichever lane finished first. Each batch travels with the
 * reader's bookmark after it, and the end of the stream with the reader's final bookmark. A
 * failure is handed on in its place in that order, after every batch read before it.
 */
final class BatchPump implements AutoCloseable {
    private static final long POLL_MILLIS = 100;

    private final String stream;
    private final StreamReader reader;
    private final RunListener listener;
    private final BlockingQueue<Item> read;
    private final BlockingQueue<Item> transformed;
    private final ReentrantLock turnLock = new ReentrantLock();
    private final Condition turn = turnLock.newCondition();
    private final Thread reading;
    private final List<Thread> transforming = new ArrayList<>();
    private volatile boolean stopped;
    private long nextToHandOn;
    private Optional<Bookmark> bookmark = Optional.empty();
    private int readSize;

    /**
     * One queue entry, numbered in reading order: a batch with the size it was read with and
     * what was quarantined transforming it, the end of the stream, or the failure that ended it.
     */
    private record Item(long sequence, RowBatch batch, int readSize, Optional<Bookmark> bookmark,
            List<QuarantineNote> quarantined, Throwable failure) {
        static Item failed(long sequence, Throwable failure) {
            return new Item(sequence, null, 0, Optional.empty(), List.of(), failure);
        }

        boolean last() {
            return batch == null;
        }
    }

    /**
     * Starts reading and transforming.
     *
     * @param stream the stream's name, for messages
     * @param reader the source of batches
     * @param capacity batches that may wait between the stages
     * @param lanes the transformations, bound once per thread
     * @param listener told of each quarantined record, in order, on the thread that takes
     */
    BatchPump(String stream, StreamReader reader, int capacity, TransformLanes lanes,
            RunListener listener) {
        this.stream = stream;
        this.reader = reader;
        this.listener = listener;
        // The two stages share the capacity, so as many batches wait as with one queue.
        this.read = new ArrayBlockingQueue<>(Math.max(1, capacity / 2));
        this.transformed = new ArrayBlockingQueue<>(Math.max(1, capacity - capacity / 2));
        this.reading = start(this::pump, "phi-courier-read-" + stream);
        int lane = 0;
        for (BoundStream bound : lanes.lanes()) {
            transforming.add(start(() -> transformAll(bound),
                    "phi-courier-transform-" + stream + "-" + lane++));
        }
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
        item.quarantined.forEach(note -> listener.onRecordQuarantined(stream, note));
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
        long sequence = 0;
        try {
            Optional<RowBatch> batch = reader.next();
            while (batch.isPresent() && offer(read, new Item(sequence, batch.get(),
                    batch.get().size(), reader.bookmark(), List.of(), null))) {
                sequence++;
                batch = reader.next();
            }
            offer(read, new Item(sequence, null, 0, reader.bookmark(), List.of(), null));
        } catch (PhiCourierException e) {
            offer(read, Item.failed(sequence, e));
        } catch (RuntimeException e) {
            // A reader bug must not leak a driver message that may quote a value.
            offer(read, Item.failed(sequence, new SourceException("stream '" + stream
                    + "': reader failed with " + e.getClass().getName())));
        } catch (Error e) {
            offer(read, Item.failed(sequence, e));
        }
    }

    /**
     * Transforms batches until the end of the stream or a failure, which it leaves in the read
     * queue for the other lanes to see; only the first lane to reach it hands it on.
     */
    private void transformAll(BoundStream lane) {
        Item item = poll();
        while (item != null && !item.last()) {
            Item result = transform(lane, item);
            if (!handOn(result) || result.failure != null) {
                return;
            }
            item = poll();
        }
        if (item != null) {
            offer(read, item);
            handOn(item);
        }
    }

    private Item transform(BoundStream lane, Item item) {
        try {
            BoundStream.Transformed result = lane.transform(item.batch);
            return new Item(item.sequence, result.batch(), item.readSize, item.bookmark,
                    result.quarantined(), null);
        } catch (RuntimeException | Error e) {
            // Passed on as thrown: a transformer's messages name fields and rows, not values.
            return Item.failed(item.sequence, e);
        }
    }

    /**
     * Hands an item on once every item read before it has been; false once stopped, or when the
     * item was handed on already by another lane.
     */
    private boolean handOn(Item item) {
        turnLock.lock();
        try {
            while (!stopped && item.sequence > nextToHandOn) {
                turn.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (stopped || item.sequence < nextToHandOn) {
                return false;
            }
            boolean handed = offer(transformed, item);
            nextToHandOn++;
            turn.signalAll();
            return handed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            turnLock.unlock();
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

    /** Stops every stage and waits for their threads, so the reader can be closed safely. */
    @Override
    public void close() {
        stopped = true;
        read.clear();
        transformed.clear();
        try {
            for (Thread thread : transforming) {
                thread.join();
            }
            reading.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
