package org.phicourier.testdoubles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/** A source over rows held in memory, delivered in batches of a chosen size. */
public final class ListSource implements Source {
    private final Map<String, Schema> schemas = new LinkedHashMap<>();
    private final Map<String, List<Row>> rows = new LinkedHashMap<>();
    private final Map<String, Supplier<RuntimeException>> failures = new LinkedHashMap<>();
    private final List<String> opened = new ArrayList<>();
    private final int batchSize;

    public ListSource(int batchSize) {
        this.batchSize = batchSize;
    }

    public ListSource stream(String name, Schema schema, List<Row> streamRows) {
        schemas.put(name, schema);
        rows.put(name, streamRows);
        return this;
    }

    /** Makes reading a stream fail after its first batch. */
    public ListSource failAfterFirstBatch(String name, Supplier<RuntimeException> failure) {
        failures.put(name, failure);
        return this;
    }

    public List<String> opened() {
        return opened;
    }

    @Override
    public List<StreamDescriptor> discover() {
        List<StreamDescriptor> descriptors = new ArrayList<>();
        schemas.forEach((name, schema) -> descriptors.add(StreamDescriptor.of(name, schema)));
        return descriptors;
    }

    @Override
    public StreamReader open(StreamDescriptor stream) {
        opened.add(stream.name());
        List<Row> all = rows.get(stream.name());
        Supplier<RuntimeException> failure = failures.get(stream.name());
        return new StreamReader() {
            private int next;

            @Override
            public Optional<RowBatch> next() {
                if (failure != null && next > 0) {
                    throw failure.get();
                }
                if (next >= all.size()) {
                    return Optional.empty();
                }
                int end = Math.min(all.size(), next + batchSize);
                RowBatch batch = RowBatch.of(stream.schema(), all.subList(next, end), next + 1);
                next = end;
                return Optional.of(batch);
            }

            @Override
            public void close() {
            }
        };
    }
}
