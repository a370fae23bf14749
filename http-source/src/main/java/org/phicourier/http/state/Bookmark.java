package org.phicourier.http.state;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * How far an incremental read has come, as a point in time on the <em>server's</em> clock: the
 * FHIR Bulk Data {@code transactionTime} of the last export, or the
 * {@code Bundle.meta.lastUpdated} of the first page of the last search. The next read asks for
 * changes since then. The client's clock is never used for this: clocks drift, and a client
 * clock ahead of the server's would skip changes.
 *
 * <p>A bookmark holds two timestamps and nothing else, so a bookmark store never holds PHI.
 * Instances are immutable and thread-safe.
 */
public final class Bookmark {
    private final OffsetDateTime serverTime;
    private final Instant savedAt;

    private Bookmark(OffsetDateTime serverTime, Instant savedAt) {
        this.serverTime = serverTime;
        this.savedAt = savedAt;
    }

    /**
     * Creates a bookmark.
     *
     * @param serverTime the server's time the next read starts from, with the offset it gave
     * @param savedAt when the bookmark was saved, by the local clock (for people only)
     * @return the bookmark
     */
    public static Bookmark of(OffsetDateTime serverTime, Instant savedAt) {
        return new Bookmark(Objects.requireNonNull(serverTime, "serverTime"),
                Objects.requireNonNull(savedAt, "savedAt"));
    }

    /**
     * Returns the server's time the next read starts from.
     *
     * @return the time with the server's offset
     */
    public OffsetDateTime serverTime() {
        return serverTime;
    }

    /**
     * Returns the server time as a FHIR instant, for {@code _since} and {@code _lastUpdated}.
     *
     * @return for example {@code 2024-08-06T18:12:57Z}
     */
    public String serverTimeText() {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(serverTime);
    }

    /**
     * Returns when the bookmark was saved, by the local clock.
     *
     * @return the instant
     */
    public Instant savedAt() {
        return savedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bookmark && serverTime.equals(((Bookmark) other).serverTime)
                && savedAt.equals(((Bookmark) other).savedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverTime, savedAt);
    }

    @Override
    public String toString() {
        return "Bookmark[serverTime=" + serverTimeText() + ", savedAt=" + savedAt + "]";
    }
}
