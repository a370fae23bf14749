package org.phicourier.testdoubles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.phicourier.SourceException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.Replication;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/**
 * One stream over rows held in memory, ordered by a unique cursor in their first field (an
 * INT64 or a STRING), read incrementally or as a resumable full refresh, with bookmarks that
 * hold the cursor of the last row delivered. Rows can be added between runs, and reading can be
 * made to fail after some batches.
 */
public final class CursorListSource implements Source {
    private final String name;
    private final Schema schema;
    private final ReplicationMode mode;
    private final int batchSize;
    private final List<Row> rows = new ArrayList<>();
    private IntPredicate failBeforeBatch = batch -> false;
    private int opened;

    public CursorListSource(String name, Schema schema, ReplicationMode mode, int batchSize) {
        this.name = name;
        this.schema = schema;
        this.mode = mode;
        this.batchSize = batchSize;
    }

    public CursorListSource add(List<Row> more) {
        rows.addAll(more);
        return this;
    }

    /** Makes the next reads fail before the batch with the given zero-based number. */
    public CursorListSource failBeforeBatch(IntPredicate which) {
        this.failBeforeBatch = which;
        return this;
    }

    public int opened() {
        return opened;
    }

    @Override
    public List<StreamDescriptor> discover() {
        return List.of(StreamDescriptor.of(name, schema));
    }

    @Override
    public Replication replication(StreamDescriptor stream) {
        return Replication.of(mode, true, "cursor(" + schema.field(0).name() + ")");
    }

    @Override
    public StreamReader open(StreamDescriptor stream) {
        return open(stream, Optional.empty());
    }

    @Override
    @SuppressWarnings("unchecked")
    public StreamReader open(StreamDescriptor stream, Optional<Bookmark> from) {
        opened++;
        Comparator<Object> order = (a, b) -> ((Comparable<Object>) a).compareTo(b);
        Optional<Object> after = from.filter(b -> b.values().size() > 0)
                .map(b -> b.values().get(0));
        List<Row> pending = rows.stream()
                .filter(r -> after.isEmpty() || order.compare(r.get(0), after.get()) > 0)
                .sorted(Comparator.comparing(r -> r.get(0), order)).toList();
        return new Reader(pending, after);
    }

    private final class Reader implements StreamReader {
        private final List<Row> pending;
        private Optional<Object> last;
        private int next;
        private int batches;

        Reader(List<Row> pending, Optional<Object> last) {
            this.pending = pending;
            this.last = last;
        }

        @Override
        public Optional<RowBatch> next() {
            if (failBeforeBatch.test(batches)) {
                throw new SourceException("stream '" + name + "': connection lost");
            }
            if (next >= pending.size()) {
                return Optional.empty();
            }
            int end = Math.min(pending.size(), next + batchSize);
            RowBatch batch = RowBatch.of(schema, pending.subList(next, end), next + 1);
            last = Optional.of(pending.get(end - 1).get(0));
            next = end;
            batches++;
            return Optional.of(batch);
        }

        @Override
        public Optional<Bookmark> bookmark() {
            if (last.isEmpty()) {
                return Optional.of(Bookmark.of(Map.of("read", "start")));
            }
            Field field = schema.field(0);
            Schema cursor = Schema.of(Field.builder("last." + field.name(), field.type())
                    .nullable(false).build());
            return Optional.of(Bookmark.of(Map.of("read", "after"), Row.of(cursor, last.get())));
        }

        @Override
        public void close() {
        }
    }

    public static Schema schema(FieldType cursorType) {
        return Schema.of(Field.builder("id", cursorType).nullable(false).build(),
                Field.of("name", FieldType.STRING));
    }
}
