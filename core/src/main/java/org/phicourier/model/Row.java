package org.phicourier.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a stream: a value (or null) for each field of its {@link Schema}.
 *
 * <p>Instances are immutable and thread-safe. Values have the Java representation their
 * {@link FieldType} names; binary values are copied in and out. {@link #toString()} shows field
 * names only, never values, so that a row can never leak into a log line.
 */
public final class Row {
    private final Schema schema;
    private final Object[] values;

    private Row(Schema schema, Object[] values) {
        this.schema = schema;
        this.values = values;
    }

    /**
     * Creates a row, checking every value against its field.
     *
     * @param schema the schema the values follow
     * @param values one value per field, in schema order; null where the field is empty
     * @return the row
     * @throws IllegalArgumentException when the count, a type or a nullability does not match;
     *     the message names the field, never the value
     */
    public static Row of(Schema schema, Object... values) {
        Objects.requireNonNull(schema, "schema");
        if (values.length != schema.size()) {
            throw new IllegalArgumentException(
                    "expected " + schema.size() + " values, got " + values.length);
        }
        Object[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            copy[i] = checked(schema.field(i), copy[i]);
        }
        return new Row(schema, copy);
    }

    private static Object checked(Field field, Object value) {
        if (value == null) {
            if (!field.nullable()) {
                throw new IllegalArgumentException("field '" + field.name() + "' is not nullable");
            }
            return null;
        }
        if (!field.type().accepts(value)) {
            throw new IllegalArgumentException("field '" + field.name() + "' of type "
                    + field.type() + " cannot hold a " + value.getClass().getSimpleName());
        }
        return value instanceof byte[] ? ((byte[]) value).clone() : value;
    }

    /**
     * Returns the schema of this row.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * Returns the value at a position.
     *
     * @param index the zero-based field position
     * @return the value, or null when the field is empty
     */
    public Object get(int index) {
        Object value = values[index];
        return value instanceof byte[] ? ((byte[]) value).clone() : value;
    }

    /**
     * Returns the value of a named field.
     *
     * @param name the exact field name
     * @return the value, empty when null
     * @throws IllegalArgumentException when the schema has no such field
     */
    public Optional<Object> get(String name) {
        int index = schema.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no field '" + name + "'");
        }
        return Optional.ofNullable(get(index));
    }

    /**
     * Tells whether the value at a position is null.
     *
     * @param index the zero-based field position
     * @return true when the field is empty
     */
    public boolean isNull(int index) {
        return values[index] == null;
    }

    /**
     * Returns the number of values.
     *
     * @return the field count
     */
    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Row)) {
            return false;
        }
        Row that = (Row) other;
        return schema.equals(that.schema) && Arrays.deepEquals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * schema.hashCode() + Arrays.deepHashCode(values);
    }

    /** Shows the field names only; values are never printed. */
    @Override
    public String toString() {
        return "Row" + schema.names();
    }
}
