package org.phicourier.http.internal;

import java.time.Duration;
import org.phicourier.SourceException;

/** Sleeps, turning an interruption into a {@link SourceException} with the flag kept. */
public final class Sleep {
    private Sleep() {
    }

    /**
     * Sleeps.
     *
     * @param duration how long
     * @param doing what the sleep is for, for the message
     * @throws SourceException when interrupted
     */
    public static void of(Duration duration, String doing) {
        nanos(duration.toNanos(), doing);
    }

    static void nanos(long nanos, String doing) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while " + doing);
        }
    }
}
