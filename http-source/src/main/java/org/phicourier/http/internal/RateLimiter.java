package org.phicourier.http.internal;

import org.phicourier.SourceException;

/**
 * Spaces requests evenly so that no more than a given number start per second. Thread-safe:
 * concurrent callers reserve consecutive slots.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private long nextSlot;

    /**
     * Creates a limiter.
     *
     * @param requestsPerSecond the rate; 0 for no limit
     */
    public RateLimiter(double requestsPerSecond) {
        this.intervalNanos = requestsPerSecond <= 0 ? 0 : (long) (1e9 / requestsPerSecond);
        this.nextSlot = System.nanoTime();
    }

    /**
     * Waits for the next free slot.
     *
     * @throws SourceException when interrupted while waiting
     */
    public void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long wait = reserve();
        if (wait > 0) {
            Sleep.nanos(wait, "waiting for the request rate limit");
        }
    }

    private synchronized long reserve() {
        long now = System.nanoTime();
        long slot = Math.max(now, nextSlot);
        nextSlot = slot + intervalNanos;
        return slot - now;
    }

    @Override
    public String toString() {
        return "RateLimiter[interval=" + intervalNanos + " ns]";
    }
}
