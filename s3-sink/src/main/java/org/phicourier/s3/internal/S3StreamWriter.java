package org.phicourier.s3.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.phicourier.ConfigurationException;
import org.phicourier.SinkException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.EnvelopeEncryption;
import org.phicourier.crypto.internal.EnvelopeLayout;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.s3.S3Sink;
import org.phicourier.spi.ObjectSeries;
import org.phicourier.spi.StoredObject;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Writes one stream into rotating encrypted objects; see {@link S3Sink}. Without an object series
 * objects rotate as soon as they are full, old or of an older schema, one object is open per
 * partition of the key template, and a failed stream removes them all; with one, objects rotate
 * only at checkpoints, are named by their generation and number, are completed on condition (see
 * {@link ObjectConflicts}), and stay when the stream fails. Not thread-safe.
 */
public final class S3StreamWriter implements StreamWriter {
    /** Room left below the size limit for what compression still holds back. */
    private static final long COMPRESSOR_SLACK = 256 * 1024;
    private static final int COMPLETION_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(S3StreamWriter.class);

    private final S3Client s3;
    private final Keyring keyring;
    private final ObjectSettings settings;
    private final StreamContext context;
    private final ObjectNames names;
    private final KeyTemplate template;
    private final boolean partitioned;
    private final Optional<ObjectSeries> series;
    private final PartBuffers buffers;
    private final ExecutorService uploads;
    private final UploadOptions options;
    private final List<String> completed = new ArrayList<>();
    private final List<String> instructionFiles = new ArrayList<>();
    private final Map<String, ObjectPipeline> partitions = new LinkedHashMap<>(16, 0.75f, true);
    private Schema schema;
    private long opened;
    private ObjectPipeline current;
    private String currentWriter;
    private long plaintextAtCheckpoint;
    private long largestBatch;
    private long bytesWritten;
    private long recordsWritten;
    private boolean finished;

    /**
     * Creates the writer.
     *
     * @param s3 the client
     * @param keyring wraps each object's data key
     * @param settings object layout and sizes
     * @param context the run and stream
     * @param schema the schema of the records
     */
    public S3StreamWriter(S3Client s3, Keyring keyring, ObjectSettings settings,
            StreamContext context, Schema schema) {
        this(s3, keyring, settings, context, schema, UploadOptions.standard());
    }

    /**
     * Creates the writer with upload options.
     *
     * @param s3 the client
     * @param keyring wraps each object's data key
     * @param settings object layout and sizes
     * @param context the run and stream
     * @param schema the schema of the records
     * @param options retries, checksum, SSE-KMS and tags; its retry budget is this writer's
     */
    public S3StreamWriter(S3Client s3, Keyring keyring, ObjectSettings settings,
            StreamContext context, Schema schema, UploadOptions options) {
        this.options = options;
        this.s3 = s3;
        this.keyring = keyring;
        this.settings = settings;
        this.context = context;
        this.schema = schema;
        this.names = new ObjectNames(settings.prefix(), settings.keyTemplate());
        this.series = context.objectSeries();
        this.template = names.template(context);
        this.partitioned = template.usesFields();
        checkTemplate(schema);
        this.buffers = new PartBuffers(settings.partSize(),
                settings.uploadConcurrency() + settings.maxOpenObjects());
        this.uploads = Executors.newFixedThreadPool(settings.uploadConcurrency(), runnable -> {
            Thread thread = new Thread(runnable, "phi-courier-upload-" + context.stream());
            thread.setDaemon(true);
            return thread;
        });
    }

    private void checkTemplate(Schema checked) {
        List<String> problems = new ArrayList<>(template.check(checked));
        if (series.isPresent() && settings.keyTemplate().isPresent()
                && (template.usesFields() || template.usesRun()
                        || !template.startsWithGeneration())) {
            problems.add("runs with state need a key template that begins with"
                    + " {stream}/{generation} and names neither a field nor the run");
        }
        if (series.isEmpty() && template.usesGeneration()) {
            problems.add("{generation} needs a run with state");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("S3 sink, stream '" + context.stream() + "', key"
                    + " template '" + template + "': " + String.join("; ", problems));
        }
    }

    @Override
    public void write(RowBatch batch) {
        if (!batch.schema().equals(schema)) {
            changeSchema(batch.schema());
        }
        long position = batch.firstPosition();
        for (Row row : batch.rows()) {
            if (series.isPresent()) {
                writeInSeries(row, position++);
            } else {
                writeToPartition(row, position++);
            }
        }
    }

    /** Completes the objects of the old schema, so that each object has one (CSV: one header). */
    private void changeSchema(Schema next) {
        checkTemplate(next);
        if (series.isPresent() && current != null) {
            throw new SinkException("stream '" + context.stream() + "': the schema changed"
                    + " between two checkpoints");
        }
        completeAll();
        LOG.debug("stream '{}': schema changed, new objects begin", context.stream());
        schema = next;
    }

    private void writeInSeries(Row row, long position) {
        if (current == null) {
            current = openObject(row);
        }
        current.write(row, position);
    }

    private void writeToPartition(Row row, long position) {
        String partition = partitioned ? template.partition(row) : "";
        ObjectPipeline object = partitions.get(partition);
        if (object == null) {
            if (partitions.size() >= settings.maxOpenObjects()) {
                completePartition(partitions.keySet().iterator().next());
            }
            object = openObject(row);
            partitions.put(partition, object);
        }
        object.write(row, position);
        if (object.records() >= settings.maxRecords()
                || object.storedBytes() >= settings.maxBytes() || aged(object)) {
            completePartition(partition);
        }
    }

    private boolean aged(ObjectPipeline object) {
        return settings.maxAge().isPresent() && Duration.between(object.openedAt(),
                settings.clock().instant()).compareTo(settings.maxAge().get()) >= 0;
    }

    private ObjectPipeline openObject(Row first) {
        long number = series.map(ObjectSeries::firstSequence).orElse(1L) + opened;
        opened++;
        String key = names.object(context, number, first, settings.encoding().suffix());
        Map<String, String> encryptionContext = Map.of(
                S3Sink.CONTEXT_BUCKET, settings.bucket(),
                S3Sink.CONTEXT_KEY, key,
                S3Sink.CONTEXT_STREAM, context.stream());
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(keyring, encryptionContext,
                settings.formatVersion());
        Map<String, String> ownership = series.map(this::ownership).orElse(Map.of());
        Map<String, String> other = new HashMap<>(ownership);
        other.put(ContentEncoding.METADATA, settings.encoding().metadataValue());
        other.put(Checksums.PART_SIZE_METADATA, Integer.toString(settings.partSize()));
        EnvelopeLayout.Placement placement = EnvelopeLayout.place(encryption.metadata(), other,
                encryption.dataKey(), settings.instructionFile());
        EncryptedObjectUpload upload = new EncryptedObjectUpload(s3, settings.bucket(), key,
                placement, ownership, buffers, uploads, options);
        plaintextAtCheckpoint = 0;
        return ObjectPipeline.open(context.stream(), schema, encryption.cipher(), upload,
                settings.encoding(), settings.clock().instant());
    }

    private Map<String, String> ownership(ObjectSeries objects) {
        currentWriter = UUID.randomUUID().toString();
        return Map.of(ObjectConflicts.EPOCH, Long.toString(objects.epoch()),
                ObjectConflicts.WRITER, currentWriter, ObjectConflicts.RUN, context.runId());
    }

    private void completeAll() {
        while (!partitions.isEmpty()) {
            completePartition(partitions.keySet().iterator().next());
        }
    }

    private void completePartition(String partition) {
        ObjectPipeline object = partitions.remove(partition);
        long stored = object.complete();
        completed.add(object.key());
        if (object.usesInstructionFile()) {
            instructionFiles.add(EnvelopeLayout.instructionFileKey(object.key()));
        }
        bytesWritten += stored;
        recordsWritten += object.records();
    }

    /**
     * Completes the current object when it holds its maximum of records, or when the next batch,
     * if as large as the largest so far, could carry it past the size limit; or at the end.
     */
    @Override
    public Optional<StoredObject> checkpoint(boolean last) {
        if (series.isEmpty() || current == null) {
            return Optional.empty();
        }
        long batch = current.plaintextBytes() - plaintextAtCheckpoint;
        plaintextAtCheckpoint = current.plaintextBytes();
        largestBatch = Math.max(largestBatch, batch);
        boolean full = current.records() >= settings.maxRecords()
                || current.storedBytes() + largestBatch + COMPRESSOR_SLACK >= settings.maxBytes()
                || aged(current);
        return last || full ? Optional.of(completeInSeries(series.get())) : Optional.empty();
    }

    private StoredObject completeInSeries(ObjectSeries objects) {
        ObjectPipeline object = current;
        current = null;
        object.finishEncoding();
        long stored = storeOnCondition(object, objects.epoch());
        long sequence = objects.firstSequence() + completed.size();
        completed.add(object.key());
        bytesWritten += stored;
        recordsWritten += object.records();
        return new StoredObject(object.key(), sequence, object.records(), stored,
                object.checksum(), "");
    }

    private long storeOnCondition(ObjectPipeline object, long epoch) {
        ObjectConflicts conflicts = new ObjectConflicts(s3, settings.bucket());
        try {
            for (int attempt = 1; attempt <= COMPLETION_ATTEMPTS; attempt++) {
                try {
                    return object.store(true);
                } catch (KeyTakenException e) {
                    if (conflicts.settle(object.key(), epoch, currentWriter)
                            == ObjectConflicts.Outcome.OURS) {
                        object.release();
                        return object.storedBytes();
                    }
                }
            }
        } catch (RuntimeException e) {
            object.abort();
            throw e;
        }
        object.abort();
        throw new SinkException("object '" + object.key() + "' could not be completed: its key"
                + " was taken again after " + COMPLETION_ATTEMPTS + " attempts");
    }

    @Override
    public WriteResult commit() {
        if (series.isEmpty()) {
            completeAll();
        } else if (current != null) {
            throw new IllegalStateException("stream '" + context.stream()
                    + "': commit with records after the last checkpoint");
        }
        finished = true;
        uploads.shutdown();
        LOG.debug("stream '{}': {} objects, {} records", context.stream(), completed.size(),
                recordsWritten);
        return new WriteResult(completed, bytesWritten, recordsWritten);
    }

    @Override
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        if (current != null) {
            current.abort();
            current = null;
        }
        partitions.values().forEach(ObjectPipeline::abort);
        partitions.clear();
        if (series.isEmpty()) {
            deleteCompleted();
        }
        uploads.shutdownNow();
    }

    private void deleteCompleted() {
        if (completed.isEmpty()) {
            return;
        }
        List<ObjectIdentifier> ids = new ArrayList<>();
        completed.forEach(key -> ids.add(ObjectIdentifier.builder().key(key).build()));
        instructionFiles.forEach(key -> ids.add(ObjectIdentifier.builder().key(key).build()));
        try {
            s3.deleteObjects(r -> r.bucket(settings.bucket()).delete(d -> d.objects(ids)));
            LOG.warn("stream '{}' failed: removed its {} completed objects", context.stream(),
                    completed.size());
        } catch (SdkException e) {
            LOG.error("stream '{}' failed and its completed objects could not be removed: {}",
                    context.stream(), completed);
        }
    }

    @Override
    public void close() {
        abort();
    }

    /** Fails with a message naming the stream and the row position. */
    static SinkException serialisationFailure(String stream, long position, IOException e) {
        return new SinkException("stream '" + stream + "', row " + position
                + ": the record could not be written: " + e.getClass().getSimpleName(), e);
    }
}
