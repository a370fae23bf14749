package org.phicourier.jdbc.internal;

import java.util.List;
import java.util.Optional;
import org.phicourier.model.Schema;
import org.phicourier.spi.Replication;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.StreamDescriptor;

/**
 * How to read one stream: the statement that reads it whole, a field and decoder per selected
 * column, and, for a table that can be read in key order, the keyset of a chunked read.
 *
 * @param descriptor the stream's name and schema
 * @param sql the statement that reads it whole
 * @param decoders one decoder per field, in order
 * @param keyset how to read it in chunks, when it can be
 */
public record StreamPlan(StreamDescriptor descriptor, String sql, List<ColumnDecoder> decoders,
        Optional<Keyset> keyset) {

    static StreamPlan of(String stream, String sql, List<TypeMapping.Mapped> columns) {
        Schema schema = Schema.of(columns.stream().map(TypeMapping.Mapped::field).toList());
        return new StreamPlan(StreamDescriptor.of(stream, schema), sql,
                columns.stream().map(TypeMapping.Mapped::decoder).toList(), Optional.empty());
    }

    StreamPlan withKeyset(Keyset chunked) {
        return new StreamPlan(descriptor, sql, decoders, Optional.of(chunked));
    }

    /**
     * Returns how a run with state reads this stream.
     *
     * @return the replication
     */
    public Replication replication() {
        if (keyset.isEmpty()) {
            return Replication.fullRefresh();
        }
        ReadMethod method = keyset.get().method();
        return Replication.of(method.incremental() ? ReplicationMode.INCREMENTAL
                : ReplicationMode.FULL_REFRESH, true, keyset.get().describe());
    }
}
