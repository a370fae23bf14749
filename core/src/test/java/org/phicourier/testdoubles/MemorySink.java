package org.phicourier.testdoubles;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.phicourier.SinkException;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.ObjectSeries;
import org.phicourier.spi.ResumableSink;
import org.phicourier.spi.StoredObject;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.WriteResult;
import org.phicourier.state.RunManifest;

/**
 * A resumable sink that keeps objects in memory under deterministic keys, completes them
 * conditionally by epoch as the S3 sink does, and records manifests and clean-ups.
 */
public final class MemorySink implements ResumableSink {
    /** A stored object: the epoch of the run that wrote it and its rows. */
    public record Stored(long epoch, List<Row> rows) {
    }

    private final Map<String, Stored> objects = new TreeMap<>();
    private final Map<Long, RunManifest> manifests = new TreeMap<>();
    private final Set<String> uploads = new LinkedHashSet<>();
    private final int maxRecords;

    public MemorySink(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    public synchronized Map<String, Stored> objects() {
        return new TreeMap<>(objects);
    }

    /** The manifests by epoch, in the order the runs started. */
    public synchronized Map<Long, RunManifest> manifests() {
        return new TreeMap<>(manifests);
    }

    public synchronized void startUpload(String key) {
        uploads.add(key);
    }

    public synchronized Set<String> uploads() {
        return Set.copyOf(uploads);
    }

    /** Rows of every object that some manifest lists, in manifest and object order. */
    public synchronized List<Row> committedRows() {
        List<Row> rows = new ArrayList<>();
        manifests.values().forEach(m -> m.objects().forEach(o -> {
            Stored stored = objects.get(o.key());
            if (stored != null) {
                rows.addAll(stored.rows());
            }
        }));
        return rows;
    }

    public static String key(String stream, long generation, long sequence) {
        return String.format("%s/g%06d/%08d", stream, generation, sequence);
    }

    @Override
    public void prepare() {
    }

    @Override
    public synchronized int abortAbandonedUploads() {
        int count = uploads.size();
        uploads.clear();
        return count;
    }

    @Override
    public synchronized int retireGeneration(String stream, long generation) {
        String prefix = String.format("%s/g%06d/", stream, generation);
        List<String> doomed = objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        doomed.forEach(objects::remove);
        return doomed.size();
    }

    @Override
    public synchronized int discardUncommitted(String stream, long generation, long from,
            long epoch) {
        String prefix = String.format("%s/g%06d/", stream, generation);
        List<String> doomed = objects.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue().epoch() < epoch)
                .filter(e -> Long.parseLong(e.getKey().substring(prefix.length())) >= from)
                .map(Map.Entry::getKey).toList();
        doomed.forEach(objects::remove);
        return doomed.size();
    }

    @Override
    public synchronized void publish(RunManifest manifest) {
        manifests.put(manifest.epoch(), manifest);
    }

    private synchronized void complete(String key, long epoch, List<Row> rows) {
        Stored existing = objects.get(key);
        if (existing != null && existing.epoch() >= epoch) {
            throw new SinkException("object '" + key + "' was written by a newer run");
        }
        objects.put(key, new Stored(epoch, List.copyOf(rows)));
        uploads.remove(key);
    }

    @Override
    public StreamWriter open(StreamContext context, Schema schema) {
        // Streams written outside the resumable protocol (schema versions, quarantines) land in
        // a series of their own and are stored on commit.
        ObjectSeries series = context.objectSeries().orElseGet(() -> new ObjectSeries(1, 1,
                context.runStartedAt(), 1));
        boolean plain = context.objectSeries().isEmpty();
        return new StreamWriter() {
            private final List<Row> current = new ArrayList<>();
            private final List<String> keys = new ArrayList<>();
            private long sequence = series.firstSequence();
            private long records;

            @Override
            public void write(RowBatch batch) {
                current.addAll(batch.rows());
                synchronized (MemorySink.this) {
                    uploads.add(key(context.stream(), series.generation(), sequence));
                }
            }

            @Override
            public Optional<StoredObject> checkpoint(boolean last) {
                if (current.isEmpty() || (current.size() < maxRecords && !last)) {
                    return Optional.empty();
                }
                String key = key(context.stream(), series.generation(), sequence);
                complete(key, series.epoch(), current);
                StoredObject object = new StoredObject(key, sequence++, current.size(),
                        current.size() * 10L);
                keys.add(key);
                records += current.size();
                current.clear();
                return Optional.of(object);
            }

            @Override
            public WriteResult commit() {
                if (plain) {
                    checkpoint(true);
                }
                return new WriteResult(keys, records * 10, records);
            }

            @Override
            public void abort() {
                current.clear();
                synchronized (MemorySink.this) {
                    uploads.remove(key(context.stream(), series.generation(), sequence));
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
