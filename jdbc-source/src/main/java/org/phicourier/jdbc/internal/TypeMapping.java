package org.phicourier.jdbc.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.phicourier.ConfigurationException;
import org.phicourier.jdbc.OutOfRangePolicy;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;

/**
 * Maps each JDBC column type to a field type and a decoder that reads it without loss: exact
 * decimals as {@link BigDecimal}, dates and times through {@code java.time} (never through the
 * JVM's default zone), unsigned integers widened, arrays and JSON as nested JSON.
 */
final class TypeMapping {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
    /** Types that PostgreSQL and H2 report as OTHER and whose text form is exact. */
    private static final Set<String> TEXTUAL_OTHER = Set.of("uuid", "interval", "inet", "cidr",
            "macaddr", "macaddr8", "xml", "citext", "ltree", "money", "tsquery");
    private static final Set<String> JSON_TYPES = Set.of("json", "jsonb");

    /** A field with the decoder that fills it. */
    record Mapped(Field field, ColumnDecoder decoder) {
    }

    private TypeMapping() {
    }

    static Mapped map(String stream, SourceColumn column, Dialect dialect) {
        return map(stream, column, dialect, TypeOptions.strict());
    }

    static Mapped map(String stream, SourceColumn column, Dialect dialect, TypeOptions options) {
        return map(stream, column, dialect, options, false);
    }

    static Mapped map(String stream, SourceColumn column, Dialect dialect, TypeOptions options,
            boolean key) {
        FieldType type = fieldType(stream, column, dialect, options);
        boolean temporal = MySqlTemporal.applies(dialect, type);
        if (temporal && options.outOfRange() == OutOfRangePolicy.TEXT) {
            return textual(column, column.nullable());
        }
        boolean nulled = temporal && options.outOfRange() == OutOfRangePolicy.NULL;
        Field.Builder field = Field.builder(column.name(), type)
                .nullable(column.nullable() || nulled).sourceType(column.describe()).key(key);
        describeSize(field, column, type);
        ColumnDecoder decoder = temporal
                ? MySqlTemporal.decoder(type, stream, column.name(), options)
                : decoder(column, type, dialect);
        return new Mapped(field.build(), decoder);
    }

    /** Keeps the declared size where it is a fact about the values: digits or length. */
    private static void describeSize(Field.Builder field, SourceColumn column, FieldType type) {
        boolean sized = type == FieldType.DECIMAL || type == FieldType.STRING
                || type == FieldType.BINARY;
        if (sized && column.size() > 0 && column.size() < Integer.MAX_VALUE) {
            field.precision(column.size());
        }
        if (type == FieldType.DECIMAL && column.size() > 0) {
            field.scale(Math.max(column.scale(), 0));
        }
    }

    private static Mapped textual(SourceColumn column, boolean nullable) {
        Field field = Field.builder(column.name(), FieldType.STRING).nullable(nullable)
                .sourceType(column.describe()).build();
        return new Mapped(field, MySqlTemporal.text());
    }

    private static FieldType fieldType(String stream, SourceColumn column, Dialect dialect,
            TypeOptions options) {
        try {
            return fieldType(stream, column, dialect);
        } catch (ConfigurationException e) {
            if (options.unknownAsText()) {
                return FieldType.STRING;
            }
            throw e;
        }
    }

    private static FieldType fieldType(String stream, SourceColumn column, Dialect dialect) {
        String typeName = column.typeName().toLowerCase(Locale.ROOT);
        boolean unsigned = typeName.contains("unsigned");
        switch (column.jdbcType()) {
            case Types.CHAR: case Types.VARCHAR: case Types.LONGVARCHAR: case Types.NCHAR:
            case Types.NVARCHAR: case Types.LONGNVARCHAR: case Types.CLOB: case Types.NCLOB:
            case Types.SQLXML: case Types.TIME_WITH_TIMEZONE:
                return FieldType.STRING;
            case Types.TINYINT: case Types.SMALLINT:
                return FieldType.INT32;
            case Types.INTEGER:
                return unsigned ? FieldType.INT64 : FieldType.INT32;
            case Types.BIGINT:
                return unsigned ? FieldType.DECIMAL : FieldType.INT64;
            case Types.REAL:
                return FieldType.FLOAT32;
            case Types.FLOAT: case Types.DOUBLE:
                return FieldType.FLOAT64;
            case Types.NUMERIC: case Types.DECIMAL:
                return FieldType.DECIMAL;
            case Types.BOOLEAN:
                return FieldType.BOOLEAN;
            case Types.BIT:
                return bitType(column, dialect);
            case Types.DATE:
                return FieldType.DATE;
            case Types.TIME:
                return FieldType.TIME;
            case Types.TIMESTAMP:
                return isInstant(typeName, dialect) ? FieldType.TIMESTAMP_TZ : FieldType.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return FieldType.TIMESTAMP_TZ;
            case Types.BINARY: case Types.VARBINARY: case Types.LONGVARBINARY: case Types.BLOB:
                return typeName.equals("uuid") ? FieldType.STRING : FieldType.BINARY;
            case Types.ARRAY:
                return FieldType.JSON;
            case Types.OTHER:
                return otherType(stream, column, typeName);
            default:
                throw unsupported(stream, column);
        }
    }

    private static FieldType bitType(SourceColumn column, Dialect dialect) {
        if (column.size() <= 1) {
            return FieldType.BOOLEAN;
        }
        return dialect == Dialect.POSTGRESQL ? FieldType.STRING : FieldType.BINARY;
    }

    /** MariaDB and MySQL TIMESTAMP columns hold instants; the session zone is pinned to UTC. */
    private static boolean isInstant(String typeName, Dialect dialect) {
        if (dialect == Dialect.MARIADB || dialect == Dialect.MYSQL) {
            return typeName.equals("timestamp");
        }
        return typeName.equals("timestamptz");
    }

    private static FieldType otherType(String stream, SourceColumn column, String typeName) {
        if (JSON_TYPES.contains(typeName)) {
            return FieldType.JSON;
        }
        if (TEXTUAL_OTHER.contains(typeName) || typeName.startsWith("interval")
                || typeName.startsWith("enum(")) {
            return FieldType.STRING;
        }
        throw unsupported(stream, column);
    }

    private static ConfigurationException unsupported(String stream, SourceColumn column) {
        return new ConfigurationException("stream '" + stream + "', field '" + column.name()
                + "': unsupported column type '" + column.typeName() + "' (JDBC type "
                + column.jdbcType() + "); select a cast of it in a query stream, leave the column"
                + " out, or allow unknown types as text");
    }

    private static ColumnDecoder decoder(SourceColumn column, FieldType type, Dialect dialect) {
        switch (type) {
            case STRING:
                return stringDecoder(column);
            case INT32:
                return (rows, i) -> nullable(rows, rows.getInt(i));
            case INT64:
                return (rows, i) -> nullable(rows, rows.getLong(i));
            case FLOAT32:
                return (rows, i) -> nullable(rows, rows.getFloat(i));
            case FLOAT64:
                return (rows, i) -> nullable(rows, rows.getDouble(i));
            case DECIMAL:
                return ResultSet::getBigDecimal;
            case BOOLEAN:
                return (rows, i) -> nullable(rows, rows.getBoolean(i));
            case DATE:
                return (rows, i) -> rows.getObject(i, LocalDate.class);
            case TIME:
                return (rows, i) -> rows.getObject(i, LocalTime.class);
            case TIMESTAMP:
                return (rows, i) -> rows.getObject(i, LocalDateTime.class);
            case TIMESTAMP_TZ:
                return instantDecoder(dialect);
            case BINARY:
                return ResultSet::getBytes;
            case JSON:
                return column.jdbcType() == Types.ARRAY ? TypeMapping::readArray
                        : TypeMapping::readJson;
            default:
                throw new IllegalStateException("no decoder for " + type);
        }
    }

    private static ColumnDecoder stringDecoder(SourceColumn column) {
        if (column.jdbcType() == Types.TIME_WITH_TIMEZONE) {
            return (rows, i) -> {
                OffsetTime time = rows.getObject(i, OffsetTime.class);
                return time == null ? null : time.toString();
            };
        }
        if (column.typeName().equalsIgnoreCase("uuid")) {
            return (rows, i) -> {
                Object uuid = rows.getObject(i);
                return uuid == null ? null : uuid.toString();
            };
        }
        return ResultSet::getString;
    }

    private static ColumnDecoder instantDecoder(Dialect dialect) {
        if (dialect == Dialect.MARIADB || dialect == Dialect.MYSQL) {
            return (rows, i) -> {
                LocalDateTime utc = rows.getObject(i, LocalDateTime.class);
                return utc == null ? null : utc.atOffset(ZoneOffset.UTC);
            };
        }
        return (rows, i) -> rows.getObject(i, OffsetDateTime.class);
    }

    private static Object nullable(ResultSet rows, Object value) throws SQLException {
        return rows.wasNull() ? null : value;
    }

    private static Object readJson(ResultSet rows, int column) throws SQLException {
        String text = rows.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("column holds text that is not JSON", "22032");
        }
    }

    private static Object readArray(ResultSet rows, int column) throws SQLException {
        Array array = rows.getArray(column);
        if (array == null) {
            return null;
        }
        try {
            return toJsonArray((Object[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private static ArrayNode toJsonArray(Object[] elements) {
        ArrayNode node = JsonNodeFactory.instance.arrayNode(elements.length);
        for (Object element : elements) {
            node.add(toJson(element));
        }
        return node;
    }

    /**
     * Drivers hand array elements of date and time types out as {@code java.sql} values built in
     * the JVM's zone; converting back with that zone recovers the stored wall-clock value.
     */
    private static String temporalText(Object element) {
        if (element instanceof java.sql.Timestamp) {
            return ((java.sql.Timestamp) element).toLocalDateTime().toString();
        }
        if (element instanceof java.sql.Date) {
            return ((java.sql.Date) element).toLocalDate().toString();
        }
        if (element instanceof java.sql.Time) {
            return ((java.sql.Time) element).toLocalTime().toString();
        }
        return element.toString();
    }

    private static JsonNode toJson(Object element) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (element == null) {
            return nodes.nullNode();
        }
        if (element instanceof Object[]) {
            return toJsonArray((Object[]) element);
        }
        if (element instanceof Boolean) {
            return nodes.booleanNode((Boolean) element);
        }
        if (element instanceof Integer || element instanceof Short) {
            return nodes.numberNode(((Number) element).intValue());
        }
        if (element instanceof Long) {
            return nodes.numberNode((Long) element);
        }
        if (element instanceof BigDecimal) {
            return nodes.numberNode((BigDecimal) element);
        }
        if (element instanceof Float || element instanceof Double) {
            double value = ((Number) element).doubleValue();
            return Double.isFinite(value) ? nodes.numberNode(new BigDecimal(element.toString()))
                    : nodes.textNode(element.toString());
        }
        if (element instanceof byte[]) {
            return nodes.textNode(Base64.getEncoder().encodeToString((byte[]) element));
        }
        return nodes.textNode(temporalText(element));
    }
}
