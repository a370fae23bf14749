package org.phicourier.jdbc.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.phicourier.jdbc.internal.ReadPosition.Phase;

/**
 * Starts each read of a stream after the previous one, and moves a read from phase to phase:
 *
 * <ul>
 *   <li>a full read in key order starts at the first key;</li>
 *   <li>a PostgreSQL read takes a new horizon; the previous horizon is its low end. A cursor read
 *       first looks at and below the previous end of the cursor for row versions written between
 *       the two horizons (transactions that committed late, or wrote low cursor values), then
 *       reads above it;</li>
 *   <li>a MariaDB or MySQL read starts after the previous bound and takes a new bound under a
 *       table read lock; other databases take the bound without the lock.</li>
 * </ul>
 */
final class ReadStart {
    private final ReadBounds bounds;
    private final Duration settleTimeout;

    ReadStart(ReadBounds bounds, Duration settleTimeout) {
        this.bounds = bounds;
        this.settleTimeout = settleTimeout;
    }

    ReadPosition next(ReadMethod method, Optional<ReadPosition> previous) throws SQLException {
        ReadPosition position = new ReadPosition(method, Phase.READ);
        switch (method) {
            case POSTGRESQL_CURSOR, POSTGRESQL_XMIN -> startPostgres(position, previous);
            case LOCKED_CURSOR, UNSETTLED_CURSOR -> startBounded(position, previous);
            default -> position.last = Optional.empty();
        }
        return position;
    }

    private void startPostgres(ReadPosition position, Optional<ReadPosition> previous)
            throws SQLException {
        position.low = previous.map(p -> p.high).orElse(0L);
        position.high = bounds.horizon();
        position.prior = previous.flatMap(p -> p.prior);
        if (position.method == ReadMethod.POSTGRESQL_XMIN) {
            position.phase = position.low < position.high ? Phase.READ : Phase.DONE;
        } else if (position.prior.isPresent() && position.low < position.high) {
            position.phase = Phase.LATE;
        } else {
            enterNew(position);
        }
    }

    private void startBounded(ReadPosition position, Optional<ReadPosition> previous)
            throws SQLException {
        position.prior = previous.flatMap(p -> p.bound.or(() -> p.prior));
        position.bound = position.method == ReadMethod.LOCKED_CURSOR
                ? bounds.lockedNewest(settleTimeout) : bounds.newest();
        position.last = position.prior;
        if (position.bound.isEmpty()) {
            position.phase = Phase.DONE;
        }
    }

    /** Moves a read to its next phase once a chunk query came back short. */
    static void endPhase(ReadPosition position) {
        if (position.phase == Phase.LATE) {
            enterNew(position);
            return;
        }
        if (position.method == ReadMethod.POSTGRESQL_CURSOR) {
            position.prior = position.last.or(() -> position.prior);
        } else if (position.method == ReadMethod.LOCKED_CURSOR
                || position.method == ReadMethod.UNSETTLED_CURSOR) {
            position.prior = position.bound;
        }
        position.bound = Optional.empty();
        position.last = Optional.empty();
        position.phase = Phase.DONE;
    }

    private static void enterNew(ReadPosition position) {
        position.phase = Phase.NEW;
        position.last = position.prior;
    }

    @Override
    public String toString() {
        return "ReadStart[" + settleTimeout + "]";
    }
}
