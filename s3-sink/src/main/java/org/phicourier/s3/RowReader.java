package org.phicourier.s3;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.phicourier.IntegrityException;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

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
        return records.nextRow(schema);
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
