package org.phicourier.benchmarks;

/**
 * A table every contender moves.
 *
 * @param label how the report names it
 * @param table its qualified name in PostgreSQL
 * @param rows its row count
 * @param copyBytes the size of its {@code COPY ... TO STDOUT} text
 */
record Target(String label, String table, long rows, long copyBytes) {
}
