package org.phicourier.jdbc.internal;

import java.util.List;

/**
 * What a chunked read of a table needs: where to read, what to select, the columns that order it
 * and how it is bounded.
 *
 * @param method the read method
 * @param table the table, qualified and quoted
 * @param selected the selected columns, quoted and joined by commas
 * @param keys the columns that order the read, unique together, in order
 */
public record Keyset(ReadMethod method, String table, String selected, List<KeyColumn> keys) {

    /** Describes the method and its key columns for the state, without values. */
    String describe() {
        return method.id() + "(" + String.join(",", keys.stream()
                .map(k -> k.field().name()).toList()) + ")";
    }
}
