package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.phicourier.ConfigurationException;

/** Finds tables and columns in the database catalog and plans how to read each stream. */
public final class StreamPlanner {
    private final Connection connection;
    private final DatabaseMetaData catalog;
    private final Dialect dialect;
    private final TypeOptions options;

    /** A table as the catalog names it, with its type (TABLE, VIEW, ...). */
    record TableRef(String catalog, String schema, String name, String type) {
    }

    /**
     * Creates a planner on an open connection.
     *
     * @param connection used for catalog queries only
     * @param dialect the database's dialect
     * @throws SQLException when the catalog cannot be read
     */
    public StreamPlanner(Connection connection, Dialect dialect) throws SQLException {
        this(connection, dialect, TypeOptions.strict());
    }

    /**
     * Creates a planner on an open connection with type options.
     *
     * @param connection used for catalog queries only
     * @param dialect the database's dialect
     * @param options how to map values and types without an exact mapping
     * @throws SQLException when the catalog cannot be read
     */
    public StreamPlanner(Connection connection, Dialect dialect, TypeOptions options)
            throws SQLException {
        this.connection = connection;
        this.catalog = connection.getMetaData();
        this.dialect = dialect;
        this.options = options;
    }

    /**
     * Plans a stream over a table.
     *
     * @param stream the stream name
     * @param table the table, optionally qualified by schema (database on MariaDB)
     * @param wanted the columns to read, or empty for all
     * @param request the replication asked for the stream
     * @return the plan
     * @throws ConfigurationException when the table or a column is missing, or a type
     *     unsupported, or a cursor column missing, nullable or not orderable
     * @throws SQLException when the catalog cannot be read
     */
    public StreamPlan planTable(String stream, String table, List<String> wanted,
            ReadRequest request) throws SQLException {
        TableRef ref = findTable(table).orElseThrow(() -> new ConfigurationException("stream '"
                + stream + "': table '" + table + "' does not exist or is not visible"));
        List<SourceColumn> all = columnsOf(ref);
        List<SourceColumn> columns = select(stream, all, wanted);
        List<TypeMapping.Mapped> mapped = new ArrayList<>();
        StringBuilder selected = new StringBuilder();
        Set<String> key = primaryKey(ref);
        for (SourceColumn column : columns) {
            mapped.add(TypeMapping.map(stream, column, dialect, options,
                    key.contains(column.name())));
            selected.append(mapped.size() > 1 ? ", " : "").append(quote(column.name()));
        }
        StreamPlan plan = StreamPlan.of(stream, "SELECT " + selected + " FROM " + qualified(ref),
                mapped);
        return new KeyPlanner(catalog, dialect, this::quote, stream, ref, all)
                .plan(request, qualified(ref), selected.toString())
                .map(plan::withKeyset).orElse(plan);
    }

    /**
     * Plans a stream over a query, describing its result without reading any row.
     *
     * @param stream the stream name
     * @param sql the query
     * @return the plan
     * @throws ConfigurationException when a column type is unsupported or names repeat
     * @throws SQLException when the query is invalid
     */
    public StreamPlan planQuery(String stream, String sql) throws SQLException {
        List<TypeMapping.Mapped> mapped = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet empty = statement.executeQuery(
                        "SELECT * FROM (" + sql + ") phi_courier_probe WHERE 1 = 0")) {
            ResultSetMetaData meta = empty.getMetaData();
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                SourceColumn column = new SourceColumn(meta.getColumnLabel(i),
                        meta.getColumnType(i), meta.getColumnTypeName(i), meta.getPrecision(i),
                        meta.getScale(i), meta.isNullable(i) != ResultSetMetaData.columnNoNulls);
                if (!seen.add(column.name())) {
                    throw new ConfigurationException("stream '" + stream + "': the query returns"
                            + " two columns named '" + column.name() + "'; give them aliases");
                }
                mapped.add(TypeMapping.map(stream, column, dialect, options));
            }
        }
        return StreamPlan.of(stream, sql, mapped);
    }

    private Optional<TableRef> findTable(String table) throws SQLException {
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2) {
            throw new ConfigurationException("table '" + table + "': use table or schema.table");
        }
        String name = parts[parts.length - 1];
        Optional<String> qualifier = parts.length == 2 ? Optional.of(parts[0]) : Optional.empty();
        for (String candidate : spellings(name)) {
            Optional<TableRef> found = lookUp(qualifier, candidate);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private List<String> spellings(String name) {
        Set<String> spellings = new LinkedHashSet<>();
        spellings.add(name);
        spellings.add(name.toUpperCase(Locale.ROOT));
        spellings.add(name.toLowerCase(Locale.ROOT));
        return new ArrayList<>(spellings);
    }

    private Optional<TableRef> lookUp(Optional<String> qualifier, String name)
            throws SQLException {
        boolean databaseAsCatalog = dialect == Dialect.MARIADB || dialect == Dialect.MYSQL;
        String catalogName = databaseAsCatalog
                ? qualifier.orElse(connection.getCatalog()) : connection.getCatalog();
        String schemaPattern = databaseAsCatalog ? null
                : escape(qualifier.orElse(connection.getSchema()));
        try (ResultSet tables = catalog.getTables(catalogName, schemaPattern, escape(name),
                new String[] {"TABLE", "VIEW", "MATERIALIZED VIEW", "BASE TABLE"})) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equals(name)) {
                    return Optional.of(new TableRef(tables.getString("TABLE_CAT"),
                            tables.getString("TABLE_SCHEM"), name,
                            tables.getString("TABLE_TYPE")));
                }
            }
        }
        return Optional.empty();
    }

    private String escape(String pattern) throws SQLException {
        if (pattern == null) {
            return null;
        }
        String escape = catalog.getSearchStringEscape();
        return pattern.replace(escape, escape + escape).replace("_", escape + "_")
                .replace("%", escape + "%");
    }

    private List<SourceColumn> columnsOf(TableRef ref) throws SQLException {
        List<SourceColumn> columns = new ArrayList<>();
        try (ResultSet rows = catalog.getColumns(ref.catalog, escape(ref.schema), escape(ref.name),
                null)) {
            while (rows.next()) {
                columns.add(new SourceColumn(rows.getString("COLUMN_NAME"),
                        rows.getInt("DATA_TYPE"), rows.getString("TYPE_NAME"),
                        rows.getInt("COLUMN_SIZE"), rows.getInt("DECIMAL_DIGITS"),
                        rows.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
        }
        return columns;
    }

    private static List<SourceColumn> select(String stream, List<SourceColumn> all,
            List<String> wanted) {
        if (wanted.isEmpty()) {
            return all;
        }
        List<SourceColumn> selected = new ArrayList<>();
        for (String name : wanted) {
            selected.add(all.stream().filter(c -> c.name().equals(name)).findFirst()
                    .or(() -> uniqueIgnoringCase(all, name))
                    .orElseThrow(() -> new ConfigurationException("stream '" + stream
                            + "', field '" + name + "': no such column")));
        }
        return selected;
    }

    private static Optional<SourceColumn> uniqueIgnoringCase(List<SourceColumn> all,
            String name) {
        List<SourceColumn> matches = all.stream()
                .filter(c -> c.name().equalsIgnoreCase(name)).toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    private String qualified(TableRef ref) {
        String container = dialect == Dialect.MARIADB || dialect == Dialect.MYSQL
                ? ref.catalog : ref.schema;
        return container == null ? quote(ref.name) : quote(container) + "." + quote(ref.name);
    }

    private String quote(String identifier) {
        try {
            String quote = catalog.getIdentifierQuoteString().strip();
            return quote + identifier.replace(quote, quote + quote) + quote;
        } catch (SQLException e) {
            throw SqlFailures.wrap("cannot quote identifiers", e);
        }
    }

    private Set<String> primaryKey(TableRef ref) throws SQLException {
        Set<String> key = new LinkedHashSet<>();
        try (ResultSet rows = catalog.getPrimaryKeys(ref.catalog(), ref.schema(), ref.name())) {
            while (rows.next()) {
                key.add(rows.getString("COLUMN_NAME"));
            }
        }
        return key;
    }
}
