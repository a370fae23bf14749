package org.phicourier.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A statement being assembled together with the values it binds, in order. Not thread-safe. */
final class Query {
    /** Binds one value at a position. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement, int index) throws SQLException;
    }

    private final StringBuilder sql = new StringBuilder();
    private final List<Binder> values = new ArrayList<>();
    private final Dialect dialect;

    Query(Dialect dialect) {
        this.dialect = dialect;
    }

    Query text(String text) {
        sql.append(text);
        return this;
    }

    Query key(KeyColumn column, Object value) {
        sql.append(column.placeholder(dialect));
        values.add((statement, index) -> column.bind(statement, index, value, dialect));
        return this;
    }

    Query number(long value) {
        sql.append('?');
        values.add((statement, index) -> statement.setLong(index, value));
        return this;
    }

    /** Adds the comparison of the key tuple with values: {@code >} or {@code <=}. */
    Query compare(List<KeyColumn> keys, Object[] tuple, boolean greater) {
        if (dialect == Dialect.POSTGRESQL || dialect == Dialect.H2 || keys.size() == 1) {
            return rowComparison(keys, tuple, greater);
        }
        return expanded(keys, tuple, greater, 0);
    }

    private Query rowComparison(List<KeyColumn> keys, Object[] tuple, boolean greater) {
        text("(");
        for (int i = 0; i < keys.size(); i++) {
            text(i > 0 ? ", " : "").text(keys.get(i).quoted());
        }
        text(greater ? ") > (" : ") <= (");
        for (int i = 0; i < keys.size(); i++) {
            text(i > 0 ? ", " : "").key(keys.get(i), tuple[i]);
        }
        return text(")");
    }

    /** Spells a tuple comparison out, as MariaDB's optimizer uses indexes for this form. */
    private Query expanded(List<KeyColumn> keys, Object[] tuple, boolean greater, int at) {
        KeyColumn key = keys.get(at);
        if (at == keys.size() - 1) {
            return text(key.quoted()).text(greater ? " > " : " <= ").key(key, tuple[at]);
        }
        text("(").text(key.quoted()).text(greater ? " > " : " < ").key(key, tuple[at]);
        text(" OR (").text(key.quoted()).text(" = ").key(key, tuple[at]).text(" AND ");
        return expanded(keys, tuple, greater, at + 1).text("))");
    }

    PreparedStatement prepare(Connection connection, int fetchSize) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.toString(),
                java.sql.ResultSet.TYPE_FORWARD_ONLY, java.sql.ResultSet.CONCUR_READ_ONLY);
        try {
            statement.setFetchSize(dialect.fetchSize(fetchSize));
            for (int i = 0; i < values.size(); i++) {
                values.get(i).bind(statement, i + 1);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** Shows the statement text, which holds placeholders, never values. */
    @Override
    public String toString() {
        return sql.toString();
    }
}
