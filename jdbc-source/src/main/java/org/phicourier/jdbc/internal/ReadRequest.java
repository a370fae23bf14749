package org.phicourier.jdbc.internal;

import java.util.List;
import org.phicourier.spi.ReplicationMode;

/**
 * What the user asked for one table stream: its mode, its cursor columns (none for a full refresh
 * or a read by transaction id), and whether a cursor read may go without a settled bound.
 *
 * @param mode full refresh or incremental
 * @param cursor the cursor columns as the user named them, in order
 * @param allowUnsettled true to allow a cursor read whose bound is not settled
 */
public record ReadRequest(ReplicationMode mode, List<String> cursor, boolean allowUnsettled) {
    /**
     * Creates the request, copying the cursor.
     *
     * @param mode full refresh or incremental
     * @param cursor the cursor columns
     * @param allowUnsettled true to allow a cursor read whose bound is not settled
     */
    public ReadRequest {
        cursor = List.copyOf(cursor);
    }
}
