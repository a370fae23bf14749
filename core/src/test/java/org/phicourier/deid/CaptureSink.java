package org.phicourier.deid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phicourier.internal.RowJsonWriter;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Sink;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.WriteResult;

/** Keeps every stream's output as the JSON Lines bytes a sink would serialise. */
final class CaptureSink implements Sink {
    final Map<String, ByteArrayOutputStream> bytes = new TreeMap<>();

    @Override
    public void prepare() {
    }

    @Override
    public StreamWriter open(StreamContext context, Schema schema) {
        ByteArrayOutputStream out = bytes.computeIfAbsent(context.stream(),
                s -> new ByteArrayOutputStream());
        return new StreamWriter() {
            private long records;

            @Override
            public void write(RowBatch batch) {
                try (RowJsonWriter writer = new RowJsonWriter(out, schema)) {
                    for (Row row : batch.rows()) {
                        writer.write(row);
                    }
                    writer.finish();
                    records += batch.size();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public WriteResult commit() {
                return new WriteResult(List.of(context.stream()), out.size(), records);
            }

            @Override
            public void abort() {
                out.reset();
            }

            @Override
            public void close() {
            }
        };
    }

    String text(String stream) {
        return bytes.get(stream).toString(StandardCharsets.UTF_8);
    }

    String all() {
        StringBuilder all = new StringBuilder();
        bytes.values().forEach(b -> all.append(b.toString(StandardCharsets.UTF_8)));
        return all.toString();
    }
}
