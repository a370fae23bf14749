package org.phicourier.jdbc.internal;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import org.phicourier.jdbc.OutOfRangePolicy;
import org.phicourier.model.FieldType;

/**
 * Reads MariaDB and MySQL dates and times from the database's own text, so that values the JDK
 * rejects (zero dates, zero months or days, times beyond 24 hours or below zero) are seen for
 * what they are instead of being turned into null or an exception by the driver, and then follow
 * the configured {@link OutOfRangePolicy}.
 */
final class MySqlTemporal {
    private MySqlTemporal() {
    }

    static boolean applies(Dialect dialect, FieldType type) {
        boolean mysql = dialect == Dialect.MARIADB || dialect == Dialect.MYSQL;
        return mysql && (type == FieldType.DATE || type == FieldType.TIME
                || type == FieldType.TIMESTAMP || type == FieldType.TIMESTAMP_TZ);
    }

    static ColumnDecoder decoder(FieldType type, String stream, String field,
            TypeOptions options) {
        Function<String, Object> parse = switch (type) {
            case DATE -> LocalDate::parse;
            case TIME -> LocalTime::parse;
            case TIMESTAMP -> text -> LocalDateTime.parse(text.replace(' ', 'T'));
            case TIMESTAMP_TZ -> text -> LocalDateTime.parse(text.replace(' ', 'T'))
                    .atOffset(ZoneOffset.UTC);
            default -> throw new IllegalArgumentException("not a date or time: " + type);
        };
        String what = type == FieldType.TIME ? "a time beyond 24 hours or below zero"
                : "a zero or impossible date";
        return (rows, column) -> read(rows.getString(column), parse, () -> {
            if (options.outOfRange() == OutOfRangePolicy.FAIL) {
                throw new OutOfRangeValueException(what);
            }
            options.countOutOfRange(stream, field);
        });
    }

    private static Object read(String text, Function<String, Object> parse, Runnable outOfRange) {
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (DateTimeParseException e) {
            outOfRange.run();
            return null;
        }
    }

    static ColumnDecoder text() {
        return ResultSet::getString;
    }
}
