package org.phicourier.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/** Reads whole streams of a source into memory, for small test tables. */
final class Streams {
    private Streams() {
    }

    static List<Row> readAll(Source source, String stream) {
        StreamDescriptor descriptor = source.discover().stream()
                .filter(d -> d.name().equals(stream)).findFirst().orElseThrow();
        List<Row> rows = new ArrayList<>();
        try (StreamReader reader = source.open(descriptor)) {
            for (Optional<RowBatch> batch = reader.next(); batch.isPresent();
                    batch = reader.next()) {
                rows.addAll(batch.get().rows());
            }
        }
        return rows;
    }
}
