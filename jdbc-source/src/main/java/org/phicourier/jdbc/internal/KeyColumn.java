package org.phicourier.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;

/**
 * A column that orders a keyset read: a cursor column or a primary key column.
 *
 * @param field the column's field (never nullable)
 * @param quoted the column name quoted for SQL
 * @param typeName the database's type name, for casts of bound text on PostgreSQL
 * @param decoder reads the column's value
 */
public record KeyColumn(Field field, String quoted, String typeName, ColumnDecoder decoder) {

    /**
     * Returns the placeholder for a value of this column in the dialect. PostgreSQL compares a
     * text parameter with a uuid, citext or char column only after a cast to the column's type;
     * values of other types bind with their own SQL type.
     */
    String placeholder(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL && field.type() == FieldType.STRING
                ? "CAST(? AS " + typeName + ")" : "?";
    }

    /** Binds a value of this column, as the dialect compares it. */
    void bind(PreparedStatement statement, int index, Object value, Dialect dialect)
            throws SQLException {
        if (value instanceof OffsetDateTime && (dialect == Dialect.MARIADB
                || dialect == Dialect.MYSQL)) {
            // Instants read as UTC wall-clock time (the session zone is UTC); bind them alike.
            LocalDateTime utc = ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC)
                    .toLocalDateTime();
            statement.setObject(index, utc);
        } else if (value instanceof byte[]) {
            statement.setBytes(index, (byte[]) value);
        } else {
            statement.setObject(index, value);
        }
    }

    @Override
    public String toString() {
        return "KeyColumn[" + field + "]";
    }
}
