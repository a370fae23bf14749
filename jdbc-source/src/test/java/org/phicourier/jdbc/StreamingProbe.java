package org.phicourier.jdbc;

import java.util.Optional;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/** Reads one table to its end and prints the row count; run in a JVM with a small heap. */
public final class StreamingProbe {
    private StreamingProbe() {
    }

    public static void main(String[] args) {
        JdbcSource source = JdbcSource.builder().jdbcUrl(args[0]).user(args[1]).table(args[2])
                .build();
        StreamDescriptor stream = source.discover().get(0);
        long rows = 0;
        try (StreamReader reader = source.open(stream)) {
            for (Optional<RowBatch> batch = reader.next(); batch.isPresent();
                    batch = reader.next()) {
                rows += batch.get().size();
            }
        }
        System.out.println("rows=" + rows);
    }
}
