package org.phicourier.jdbc.internal;

import java.util.List;

/**
 * Builds the query for the next chunk of a read: the rows after the last key delivered, within
 * the phase's bounds, in key order, at most a chunk of them.
 */
final class ChunkQuery {
    /** The 64-bit transaction id of a row version, from its 32-bit xmin; frozen ones are 0. */
    private static final String ROW_TRANSACTION = "(CASE WHEN phi_src.xmin::text::bigint < 3"
            + " THEN 0 ELSE pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
            + " - ((pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
            + " - phi_src.xmin::text::bigint) & 4294967295) END)";

    private final Keyset keyset;
    private final Dialect dialect;

    ChunkQuery(Keyset keyset, Dialect dialect) {
        this.keyset = keyset;
        this.dialect = dialect;
    }

    Query next(ReadPosition position, int limit) {
        List<KeyColumn> keys = keyset.keys();
        Query query = new Query(dialect).text("SELECT ").text(keyset.selected());
        keys.forEach(key -> query.text(", ").text(key.quoted()));
        query.text(" FROM ").text(keyset.table()).text(" phi_src WHERE 1 = 1");
        position.last.ifPresent(last -> query.text(" AND ").compare(keys, last, true));
        bounds(query, position);
        query.text(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            query.text(i > 0 ? ", " : "").text(keys.get(i).quoted());
        }
        return query.text(dialect == Dialect.OTHER ? " FETCH FIRST " + limit + " ROWS ONLY"
                : " LIMIT " + limit);
    }

    private void bounds(Query query, ReadPosition position) {
        List<KeyColumn> keys = keyset.keys();
        switch (position.method) {
            case POSTGRESQL_CURSOR -> {
                if (position.phase == ReadPosition.Phase.LATE) {
                    query.text(" AND ").compare(keys, position.prior.orElseThrow(), false);
                    query.text(" AND ").text(ROW_TRANSACTION).text(" >= ").number(position.low);
                }
                query.text(" AND ").text(ROW_TRANSACTION).text(" < ").number(position.high);
            }
            case POSTGRESQL_XMIN -> {
                query.text(" AND ").text(ROW_TRANSACTION).text(" >= ").number(position.low);
                query.text(" AND ").text(ROW_TRANSACTION).text(" < ").number(position.high);
            }
            case LOCKED_CURSOR, UNSETTLED_CURSOR ->
                    query.text(" AND ").compare(keys, position.bound.orElseThrow(), false);
            default -> {
            }
        }
    }

    @Override
    public String toString() {
        return "ChunkQuery[" + keyset.describe() + "]";
    }
}
