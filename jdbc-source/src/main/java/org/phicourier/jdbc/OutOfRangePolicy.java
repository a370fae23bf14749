package org.phicourier.jdbc;

/**
 * What a {@link JdbcSource} does with a value the database accepts but {@code java.time} cannot
 * hold: a MariaDB or MySQL zero date ({@code 0000-00-00}), a date with a zero month or day, or a
 * {@code TIME} beyond 24 hours or below zero.
 */
public enum OutOfRangePolicy {
    /**
     * Stops the run with a {@link org.phicourier.SourceException} naming the stream, field and row
     * position, never the value. The default: nothing is changed silently.
     */
    FAIL,
    /**
     * Delivers null instead and counts it in the run report under
     * {@code jdbc.outOfRange.<field>}. The field becomes nullable in the discovered schema.
     */
    NULL,
    /**
     * Types every date and time column of MariaDB and MySQL as {@code STRING} and delivers the
     * database's own text for every value (such as {@code 0000-00-00} or {@code 838:59:59}), so
     * that nothing is lost; the field's source type still names the column type.
     */
    TEXT
}
