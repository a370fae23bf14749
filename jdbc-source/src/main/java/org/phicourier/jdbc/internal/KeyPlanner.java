package org.phicourier.jdbc.internal;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.spi.ReplicationMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the columns that order a table's chunked read and the method that bounds it, and
 * refuses, before anything is read, a cursor column that is missing, nullable or cannot order,
 * and a cursor that cannot identify rows when the table has no primary key to break ties.
 */
final class KeyPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(KeyPlanner.class);
    private static final Set<FieldType> CURSOR_TYPES = Set.of(FieldType.INT32, FieldType.INT64,
            FieldType.DECIMAL, FieldType.DATE, FieldType.TIMESTAMP, FieldType.TIMESTAMP_TZ,
            FieldType.STRING);
    private static final Set<Integer> CHARACTER_TYPES = Set.of(Types.CHAR, Types.VARCHAR,
            Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR);

    private final DatabaseMetaData catalog;
    private final Dialect dialect;
    private final UnaryOperator<String> quote;
    private final String stream;
    private final StreamPlanner.TableRef table;
    private final List<SourceColumn> columns;

    KeyPlanner(DatabaseMetaData catalog, Dialect dialect, UnaryOperator<String> quote,
            String stream, StreamPlanner.TableRef table, List<SourceColumn> columns) {
        this.catalog = catalog;
        this.dialect = dialect;
        this.quote = quote;
        this.stream = stream;
        this.table = table;
        this.columns = columns;
    }

    /** Returns the keyset of a chunked read, or nothing when the table must be read whole. */
    Optional<Keyset> plan(ReadRequest request, String qualified, String selected)
            throws SQLException {
        if (request.mode() == ReplicationMode.FULL_REFRESH) {
            return fullRefresh(qualified, selected);
        }
        List<List<String>> unique = uniqueKeys();
        if (request.cursor().isEmpty()) {
            return Optional.of(new Keyset(transactionIdMethod(unique), qualified, selected,
                    keyColumns(unique.get(0))));
        }
        List<String> cursor = cursorColumns(request.cursor());
        List<String> keys = withTieBreak(cursor, unique);
        return Optional.of(new Keyset(cursorMethod(request), qualified, selected,
                keyColumns(keys)));
    }

    /**
     * Reads a full refresh in key order when the table has a key of orderable columns, and
     * whole otherwise: a catalog that cannot tell the keys, or keys that cannot order, only cost
     * the ability to resume.
     */
    private Optional<Keyset> fullRefresh(String qualified, String selected) {
        try {
            List<List<String>> unique = uniqueKeys();
            return unique.isEmpty() ? Optional.empty() : Optional.of(new Keyset(
                    ReadMethod.FULL_KEYSET, qualified, selected, keyColumns(unique.get(0))));
        } catch (SQLException | ConfigurationException e) {
            LOG.debug("stream '{}': read whole, its keys are unknown or cannot order ({})",
                    stream, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private ReadMethod transactionIdMethod(List<List<String>> unique) {
        if (dialect != Dialect.POSTGRESQL) {
            throw refused("an incremental read without a cursor uses transaction ids, which"
                    + " only PostgreSQL offers; name cursor columns for this stream");
        }
        requireTable();
        if (unique.isEmpty()) {
            throw refused("an incremental read by transaction id reads in primary key order, and"
                    + " the table has no primary key or unique NOT NULL columns");
        }
        return ReadMethod.POSTGRESQL_XMIN;
    }

    private ReadMethod cursorMethod(ReadRequest request) {
        switch (dialect) {
            case POSTGRESQL:
                requireTable();
                return ReadMethod.POSTGRESQL_CURSOR;
            case MARIADB: case MYSQL:
                return ReadMethod.LOCKED_CURSOR;
            default:
                if (!request.allowUnsettled()) {
                    throw refused("this database offers no way to wait for transactions that"
                            + " are still writing the table, so rows they commit later with a"
                            + " lower cursor value would be missed; allow it explicitly with"
                            + " allowUnsettledCursor(true), or use a full refresh");
                }
                return ReadMethod.UNSETTLED_CURSOR;
        }
    }

    private void requireTable() {
        if (!"TABLE".equalsIgnoreCase(table.type())) {
            throw refused("incremental reads on PostgreSQL check transaction ids (xmin), which a "
                    + table.type() + " does not have; read the underlying table");
        }
    }

    private List<String> cursorColumns(List<String> names) {
        List<String> found = new ArrayList<>();
        for (String name : names) {
            SourceColumn column = column(name).orElseThrow(() -> refused("cursor column '"
                    + name + "' does not exist"));
            check(column);
            if (found.contains(column.name())) {
                throw refused("cursor column '" + name + "' is named twice");
            }
            found.add(column.name());
        }
        return found;
    }

    private void check(SourceColumn column) {
        String where = "stream '" + stream + "', field '" + column.name() + "': ";
        if (column.nullable()) {
            throw new ConfigurationException(where + "a cursor column must be NOT NULL; a row"
                    + " whose cursor is null could never be read in cursor order");
        }
        FieldType type = TypeMapping.map(stream, column, dialect).field().type();
        if (!CURSOR_TYPES.contains(type) || (type == FieldType.STRING
                && !CHARACTER_TYPES.contains(column.jdbcType()))) {
            throw new ConfigurationException(where + "a column of type " + column.describe()
                    + " cannot order an incremental read; use a number, a date, a timestamp or"
                    + " a character column");
        }
    }

    /** Appends the primary key when the cursor does not identify rows by itself. */
    private List<String> withTieBreak(List<String> cursor, List<List<String>> unique) {
        if (unique.stream().anyMatch(cursor::containsAll)) {
            return cursor;
        }
        if (unique.isEmpty()) {
            throw refused("the cursor " + cursor + " does not identify rows by itself, and the"
                    + " table has no primary key or unique NOT NULL columns to break ties; add a"
                    + " unique column to the cursor");
        }
        Set<String> keys = new LinkedHashSet<>(cursor);
        keys.addAll(unique.get(0));
        return List.copyOf(keys);
    }

    private List<KeyColumn> keyColumns(List<String> names) {
        List<KeyColumn> keys = new ArrayList<>();
        for (String name : names) {
            SourceColumn column = column(name).orElseThrow();
            TypeMapping.Mapped mapped = TypeMapping.map(stream, column, dialect);
            FieldType type = mapped.field().type();
            if (type == FieldType.JSON || type == FieldType.BOOLEAN
                    || type == FieldType.FLOAT32 || type == FieldType.FLOAT64) {
                throw refused("key column '" + column.name() + "' of type " + column.describe()
                        + " cannot order a chunked read");
            }
            Field field = Field.builder(column.name(), type).nullable(false).build();
            keys.add(new KeyColumn(field, quote.apply(column.name()), column.typeName(),
                    mapped.decoder()));
        }
        return keys;
    }

    private Optional<SourceColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .or(() -> {
                    List<SourceColumn> matches = columns.stream()
                            .filter(c -> c.name().equalsIgnoreCase(name)).toList();
                    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
                });
    }

    /** The primary key, then every unique index whose columns are all NOT NULL. */
    private List<List<String>> uniqueKeys() throws SQLException {
        List<List<String>> keys = new ArrayList<>();
        primaryKey().ifPresent(keys::add);
        for (List<String> index : uniqueIndexes()) {
            if (!keys.contains(index) && index.stream().allMatch(this::notNull)) {
                keys.add(index);
            }
        }
        return keys;
    }

    private List<List<String>> uniqueIndexes() throws SQLException {
        Map<String, TreeMap<Integer, String>> indexes = new LinkedHashMap<>();
        try (ResultSet rows = catalog.getIndexInfo(table.catalog(), table.schema(),
                table.name(), true, true)) {
            while (rows.next()) {
                String column = rows.getString("COLUMN_NAME");
                String index = rows.getString("INDEX_NAME");
                if (column != null && index != null && !rows.getBoolean("NON_UNIQUE")) {
                    indexes.computeIfAbsent(index, i -> new TreeMap<>())
                            .put((int) rows.getShort("ORDINAL_POSITION"), column);
                }
            }
        }
        return indexes.values().stream().map(index -> List.copyOf(index.values())).toList();
    }

    private Optional<List<String>> primaryKey() throws SQLException {
        TreeMap<Integer, String> key = new TreeMap<>();
        try (ResultSet rows = catalog.getPrimaryKeys(table.catalog(), table.schema(),
                table.name())) {
            while (rows.next()) {
                key.put((int) rows.getShort("KEY_SEQ"), rows.getString("COLUMN_NAME"));
            }
        }
        return key.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(key.values()));
    }

    private boolean notNull(String name) {
        return column(name).map(c -> !c.nullable()).orElse(false);
    }

    private ConfigurationException refused(String why) {
        return new ConfigurationException("stream '" + stream + "': " + why);
    }

    @Override
    public String toString() {
        return "KeyPlanner[" + stream + "]";
    }
}
