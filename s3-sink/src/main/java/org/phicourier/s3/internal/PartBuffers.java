package org.phicourier.s3.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The part buffers of one stream: created on first need, at most a fixed number, and handed back
 * after each upload. A stream whose objects fit in one part never allocates a second buffer, and
 * a large stream never holds more than the limit, so the writer waits for an upload to finish
 * rather than buffering more. Thread-safe.
 */
public final class PartBuffers {
    private final int partSize;
    private final int limit;
    private final BlockingQueue<byte[]> free;
    private int created;

    /**
     * Creates the pool.
     *
     * @param partSize bytes per buffer
     * @param limit buffers at most
     */
    public PartBuffers(int partSize, int limit) {
        this.partSize = partSize;
        this.limit = limit;
        this.free = new ArrayBlockingQueue<>(limit);
    }

    /** Takes a free buffer, creating one while under the limit, else waits for one. */
    byte[] take() throws InterruptedException {
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        synchronized (this) {
            if (created < limit) {
                created++;
                return new byte[partSize];
            }
        }
        return free.take();
    }

    /** Hands a buffer back for reuse. */
    void release(byte[] buffer) {
        free.add(buffer);
    }
}
