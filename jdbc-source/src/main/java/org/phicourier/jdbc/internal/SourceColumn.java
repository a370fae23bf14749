package org.phicourier.jdbc.internal;

/**
 * A column as the database describes it.
 *
 * @param name the column name as the database spells it
 * @param jdbcType the {@link java.sql.Types} code
 * @param typeName the database's own type name
 * @param size the precision or length, 0 when unknown
 * @param scale the scale, 0 when unknown
 * @param nullable false only when the database says the column cannot hold NULL
 */
record SourceColumn(String name, int jdbcType, String typeName, int size, int scale,
        boolean nullable) {

    /** Describes the type for messages, such as {@code numeric(12,2)}. */
    String describe() {
        return size > 0 ? typeName + "(" + size + (scale > 0 ? "," + scale : "") + ")" : typeName;
    }
}
