package org.phicourier.jdbc.internal;

import java.util.List;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;

/**
 * How to read one stream: the statement, and a field and decoder per selected column.
 *
 * @param descriptor the stream's name and schema
 * @param sql the statement that reads it
 * @param decoders one decoder per field, in order
 */
public record StreamPlan(StreamDescriptor descriptor, String sql, List<ColumnDecoder> decoders) {

    static StreamPlan of(String stream, String sql, List<TypeMapping.Mapped> columns) {
        Schema schema = Schema.of(columns.stream().map(TypeMapping.Mapped::field).toList());
        return new StreamPlan(StreamDescriptor.of(stream, schema), sql,
                columns.stream().map(TypeMapping.Mapped::decoder).toList());
    }
}
