package org.phicourier.spi;

import java.util.Objects;

/**
 * How a source reads one stream from run to run: its {@link ReplicationMode}, whether a read can
 * continue from a {@link Bookmark} taken in the middle of it, and a description of the read
 * method (such as the cursor columns) that identifies it.
 *
 * <p>A pipeline with state starts a stream over, in a new generation of objects, when its mode
 * or method differs from the one its state was written with. The method is stored in plain text:
 * it names columns and techniques, never a value. Instances are immutable and thread-safe.
 */
public final class Replication {
    private static final Replication FULL_REFRESH =
            new Replication(ReplicationMode.FULL_REFRESH, false, "full");

    private final ReplicationMode mode;
    private final boolean resumable;
    private final String method;

    private Replication(ReplicationMode mode, boolean resumable, String method) {
        this.mode = mode;
        this.resumable = resumable;
        this.method = method;
    }

    /**
     * The replication of a source that knows nothing about runs: a full refresh that starts over
     * after a failure.
     *
     * @return full refresh, not resumable
     */
    public static Replication fullRefresh() {
        return FULL_REFRESH;
    }

    /**
     * Describes a stream's replication.
     *
     * @param mode full refresh or incremental
     * @param resumable true when the stream's reader gives a {@link Bookmark} after every batch
     *     and can continue from it
     * @param method what identifies the read, such as {@code cursor(updated_at,id)}; no values
     * @return the replication
     */
    public static Replication of(ReplicationMode mode, boolean resumable, String method) {
        return new Replication(Objects.requireNonNull(mode, "mode"), resumable,
                Objects.requireNonNull(method, "method"));
    }

    /**
     * Returns the mode.
     *
     * @return full refresh or incremental
     */
    public ReplicationMode mode() {
        return mode;
    }

    /**
     * Tells whether a read can continue from a bookmark taken after any batch.
     *
     * @return true when resumable
     */
    public boolean resumable() {
        return resumable;
    }

    /**
     * Returns what identifies the read method.
     *
     * @return the method description, without values
     */
    public String method() {
        return method;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Replication && mode == ((Replication) other).mode
                && resumable == ((Replication) other).resumable
                && method.equals(((Replication) other).method);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, resumable, method);
    }

    @Override
    public String toString() {
        return "Replication[" + mode + ", " + method + (resumable ? ", resumable" : "") + "]";
    }
}
