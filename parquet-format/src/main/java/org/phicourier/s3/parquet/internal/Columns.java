package org.phicourier.s3.parquet.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;

/**
 * The Parquet columns of a schema: one per field, and after each TIMESTAMP_TZ field its offset
 * side column. Immutable.
 */
final class Columns {
    /** What the name of a TIMESTAMP_TZ field's offset column ends with. */
    static final String OFFSET_SUFFIX = "__offset";
    static final String MESSAGE = "phi_courier_row";
    static final int MAX_FIXED_PRECISION = 38;

    private final Schema schema;
    private final MessageType message;
    private final int[] columnOfField;

    private Columns(Schema schema, MessageType message, int[] columnOfField) {
        this.schema = schema;
        this.message = message;
        this.columnOfField = columnOfField;
    }

    /**
     * Maps a schema to Parquet columns.
     *
     * @throws IllegalArgumentException naming the field when a name collides with a side column
     */
    static Columns of(Schema schema) {
        Set<String> names = new HashSet<>(schema.names());
        List<Type> types = new ArrayList<>();
        int[] columnOfField = new int[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            Field field = schema.field(i);
            columnOfField[i] = types.size();
            types.add(type(field));
            if (field.type() == FieldType.TIMESTAMP_TZ) {
                String offset = field.name() + OFFSET_SUFFIX;
                if (names.contains(offset)) {
                    throw new IllegalArgumentException("field '" + offset + "' collides with the"
                            + " offset column of TIMESTAMP_TZ field '" + field.name() + "'");
                }
                types.add(Types.primitive(PrimitiveTypeName.INT32, repetition(field))
                        .as(LogicalTypeAnnotation.intType(32, true)).named(offset));
            }
        }
        return new Columns(schema, new MessageType(MESSAGE, types), columnOfField);
    }

    Schema schema() {
        return schema;
    }

    MessageType message() {
        return message;
    }

    int column(int field) {
        return columnOfField[field];
    }

    /**
     * Tells whether a DECIMAL field has a fixed Parquet DECIMAL type, or is stored as text:
     * fixed only up to 38 digits, the most that common Parquet readers take (and a bound on
     * the column width when a driver reports a huge precision for an unconstrained numeric).
     */
    static boolean fixedDecimal(Field field) {
        return field.type() == FieldType.DECIMAL && field.precision().isPresent()
                && field.scale().isPresent() && field.precision().getAsInt() >= 1
                && field.precision().getAsInt() <= MAX_FIXED_PRECISION
                && field.scale().getAsInt() >= 0
                && field.scale().getAsInt() <= field.precision().getAsInt();
    }

    /** The bytes a two's-complement unscaled value of the precision needs. */
    static int decimalBytes(int precision) {
        return (BigInteger.TEN.pow(precision).bitLength() + 1 + 7) / 8;
    }

    private static Type.Repetition repetition(Field field) {
        return field.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    }

    private static PrimitiveType type(Field field) {
        Type.Repetition repetition = repetition(field);
        return switch (field.type()) {
            case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.stringType()).named(field.name());
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.intType(32, true)).named(field.name());
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.intType(64, true)).named(field.name());
            case FLOAT32 -> Types.primitive(PrimitiveTypeName.FLOAT, repetition)
                    .named(field.name());
            case FLOAT64 -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition)
                    .named(field.name());
            case DECIMAL -> decimal(field, repetition);
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition)
                    .named(field.name());
            case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.dateType()).named(field.name());
            case TIME -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timeType(false, TimeUnit.NANOS))
                    .named(field.name());
            case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.NANOS))
                    .named(field.name());
            case TIMESTAMP_TZ -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.NANOS))
                    .named(field.name());
            case BINARY -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .named(field.name());
            case JSON -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.jsonType()).named(field.name());
        };
    }

    private static PrimitiveType decimal(Field field, Type.Repetition repetition) {
        if (!fixedDecimal(field)) {
            return Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.stringType()).named(field.name());
        }
        int precision = field.precision().getAsInt();
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
                .length(decimalBytes(precision))
                .as(LogicalTypeAnnotation.decimalType(field.scale().getAsInt(), precision))
                .named(field.name());
    }
}
