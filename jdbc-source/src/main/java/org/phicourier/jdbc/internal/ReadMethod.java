package org.phicourier.jdbc.internal;

/**
 * How a stream is read in a run with state. The ids are stored in bookmarks and in the state's
 * read method, so they never change.
 */
public enum ReadMethod {
    /** One query over everything; a failed read starts over. */
    FULL("full"),
    /** Everything, in key order, in chunks; a failed read continues after its last chunk. */
    FULL_KEYSET("full-keyset"),
    /**
     * PostgreSQL, new and changed rows by a cursor: each read is bounded by the transaction
     * horizon taken at its start, and looks below the previous bookmark for rows that
     * transactions committed late.
     */
    POSTGRESQL_CURSOR("postgresql-horizon-cursor"),
    /** PostgreSQL, new and changed rows by transaction id (xmin), in primary key order. */
    POSTGRESQL_XMIN("postgresql-horizon-xmin"),
    /** MariaDB and MySQL: bounded by the newest cursor, read under a brief table read lock. */
    LOCKED_CURSOR("locked-bound-cursor"),
    /** Other databases, when allowed: bounded by the newest cursor, read without a lock. */
    UNSETTLED_CURSOR("unsettled-bound-cursor");

    private final String id;

    ReadMethod(String id) {
        this.id = id;
    }

    /**
     * Returns the stored id.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Tells whether reads of this method can continue from a bookmark.
     *
     * @return false for {@link #FULL} only
     */
    public boolean resumable() {
        return this != FULL;
    }

    /**
     * Tells whether this method reads incrementally.
     *
     * @return true for the cursor and xmin methods
     */
    public boolean incremental() {
        return this != FULL && this != FULL_KEYSET;
    }
}
