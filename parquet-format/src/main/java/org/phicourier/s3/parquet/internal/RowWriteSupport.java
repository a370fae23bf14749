package org.phicourier.s3.parquet.internal;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Hands rows, already converted to column values by {@link ColumnValues}, to Parquet's record
 * consumer. Converting first means a value that cannot be stored fails before the record is
 * started, so the file never holds half a record.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {
    private final Columns columns;
    private RecordConsumer consumer;

    RowWriteSupport(Columns columns) {
        this.columns = columns;
    }

    // Abstract in parquet-java though deprecated; the plain-configuration path is used.
    @Override
    @SuppressWarnings("deprecation")
    public WriteContext init(Configuration configuration) {
        return context();
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return context();
    }

    private WriteContext context() {
        return new WriteContext(columns.message(), Map.of("phi-courier.writer", "1"));
    }

    @Override
    public String getName() {
        return "phi-courier";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] values) {
        consumer.startMessage();
        for (int column = 0; column < values.length; column++) {
            Object value = values[column];
            if (value == null) {
                continue;
            }
            String name = columns.message().getFieldName(column);
            consumer.startField(name, column);
            add(value);
            consumer.endField(name, column);
        }
        consumer.endMessage();
    }

    private void add(Object value) {
        if (value instanceof Binary binary) {
            consumer.addBinary(binary);
        } else if (value instanceof Integer number) {
            consumer.addInteger(number);
        } else if (value instanceof Long number) {
            consumer.addLong(number);
        } else if (value instanceof Float number) {
            consumer.addFloat(number);
        } else if (value instanceof Double number) {
            consumer.addDouble(number);
        } else {
            consumer.addBoolean((Boolean) value);
        }
    }
}
