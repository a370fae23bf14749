package org.phicourier.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.phicourier.IntegrityException;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.internal.TextValues;

/**
 * The records of one or more objects as {@link Row}s of a schema, whatever format the sink wrote
 * them in, read as the caller iterates (see {@link S3ObjectReader#readRows}). Every value comes
 * back in its field type's Java class: exact decimals, non-finite floating-point values, dates and
 * times with or without offset, binary, nested JSON, and null apart from the empty string.
 *
 * <p>A record that lacks a field of the schema or holds a value of another type fails with an
 * {@link IntegrityException} naming the object, the record number and the field, never the
 * value. Not thread-safe; close it when done.
 */
public final class RowReader implements Iterator<Row>, AutoCloseable {
    private final RecordReader records;
    private final Schema schema;

    RowReader(RecordReader records, Schema schema) {
        this.records = records;
        this.schema = schema;
    }

    @Override
    public boolean hasNext() {
        return records.hasNext();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows");
        }
        ObjectNode record = records.next();
        boolean csv = records.format() == ObjectFormat.CSV;
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(schema.field(i), record, csv);
        }
        try {
            return Row.of(schema, values);
        } catch (IllegalArgumentException e) {
            throw failure("does not fit the schema: " + e.getMessage());
        }
    }

    private Object value(Field field, ObjectNode record, boolean csv) {
        if (!record.has(field.name())) {
            throw failure("lacks field '" + field.name() + "'");
        }
        JsonNode node = record.get(field.name());
        if (node.isNull()) {
            return null;
        }
        try {
            if (csv || node.isTextual() && field.type().javaType() != JsonNode.class) {
                return TextValues.parse(field, node.asText());
            }
            if (field.type().javaType() == JsonNode.class) {
                // Parsed again as a source parses JSON, so that 2.5 is a double node as it was
                // written, not the exact decimal node the record reader makes of it.
                return TextValues.parse(field, node.toString());
            }
            return fromJson(field, node);
        } catch (IllegalArgumentException e) {
            throw failure("field '" + field.name() + "': " + e.getMessage());
        }
    }

    private static Object fromJson(Field field, JsonNode node) {
        boolean number = node.isNumber();
        return switch (field.type()) {
            case INT32 -> number && node.canConvertToInt() ? node.intValue() : wrong(field);
            case INT64 -> number && node.canConvertToLong() ? node.longValue() : wrong(field);
            case FLOAT32 -> number ? node.decimalValue().floatValue() : wrong(field);
            case FLOAT64 -> number ? node.decimalValue().doubleValue() : wrong(field);
            case DECIMAL -> number ? node.decimalValue() : wrong(field);
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : wrong(field);
            default -> wrong(field);
        };
    }

    private static Object wrong(Field field) {
        throw new IllegalArgumentException("not a " + field.type() + " value");
    }

    private IntegrityException failure(String problem) {
        return new IntegrityException("object '" + records.objectKey() + "', record "
                + records.recordNumber() + ": " + problem);
    }

    @Override
    public void close() {
        records.close();
    }

    @Override
    public String toString() {
        return "RowReader[" + records + "]";
    }
}
