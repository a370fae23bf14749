package org.phicourier.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.SinkException;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.s3.RecordReader;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3Sink;
import org.phicourier.spi.Source;
import org.phicourier.spi.StoredObject;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.Transformer;
import org.phicourier.state.FileStateStore;
import org.phicourier.state.RunManifest;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs sources through a pipeline with a file state and the S3 emulator, the way users run them
 * incrementally, and reads back what the runs committed, for tests.
 */
public final class StateRuns implements AutoCloseable {
    private static final String PREFIX = "runs";

    private final S3Client s3;
    private final String bucket;
    private final LocalAesKeyring keyring;
    private final Path stateFile;

    /**
     * Prepares runs that keep their state in a file.
     *
     * @param stateFile the state file
     */
    public StateRuns(Path stateFile) {
        S3Emulator emulator = TestServices.emulator();
        this.s3 = emulator.s3Client();
        this.bucket = emulator.createBucket("http-state");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.keyring = LocalAesKeyring.of(key);
        this.stateFile = stateFile;
    }

    /**
     * Runs a source once with the state, then closes it.
     *
     * @param source the source
     * @return the run report
     */
    public RunReport run(Source source) {
        return run(source, 0);
    }

    /**
     * Runs a source once with the state, small objects, and a fault after some records, then
     * closes it.
     *
     * @param source the source
     * @param failAfter the run fails once more records than this have been read; 0 for never
     * @return the run report
     */
    public RunReport run(Source source, long failAfter) {
        Pipeline.Builder pipeline = Pipeline.from(source);
        if (failAfter > 0) {
            pipeline.through(new FailAfter(failAfter));
        }
        try (source) {
            return pipeline.to(S3Sink.builder().s3Client(s3).bucket(bucket).prefix(PREFIX)
                    .keyring(keyring).maxRecordsPerObject(150).allowPlainHttp(true).build())
                    .state(FileStateStore.of(stateFile), keyring).build().run();
        }
    }

    /** Passes records through and fails once a number of them has passed. */
    private static final class FailAfter implements Transformer {
        private final long limit;
        private long seen;

        FailAfter(long limit) {
            this.limit = limit;
        }

        @Override
        public StreamTransform bind(StreamDescriptor input) {
            return new StreamTransform() {
                @Override
                public Schema outputSchema() {
                    return input.schema();
                }

                @Override
                public RowBatch apply(RowBatch batch) {
                    seen += batch.size();
                    if (seen > limit) {
                        throw new SinkException("fault injected after " + limit + " records");
                    }
                    return batch;
                }
            };
        }
    }

    /**
     * Returns the state file's text, which holds bookmark attributes in plain text.
     *
     * @return the text
     * @throws Exception when it cannot be read
     */
    public String stateText() throws Exception {
        return Files.readString(stateFile);
    }

    /**
     * Reads every record of the objects some runs committed, by stream.
     *
     * @param reports the runs
     * @return the records of each stream, in commit order
     */
    public Map<String, List<ObjectNode>> records(RunReport... reports) {
        Map<String, List<ObjectNode>> records = new LinkedHashMap<>();
        S3ObjectReader reader = reader();
        for (RunReport report : reports) {
            report.streams().forEach(stream -> {
                List<ObjectNode> into = records.computeIfAbsent(stream.stream(),
                        s -> new ArrayList<>());
                stream.objectKeys().forEach(key -> read(reader, key, into));
            });
        }
        return records;
    }

    /**
     * Reads every record of every object listed by the manifests of all runs so far.
     *
     * @return the records, in commit order
     */
    public List<ObjectNode> committedRecords() {
        List<ObjectNode> records = new ArrayList<>();
        S3ObjectReader reader = reader();
        for (S3Object manifest : s3.listObjectsV2Paginator(r -> r.bucket(bucket)
                .prefix(PREFIX + "/_manifests/")).contents()) {
            RunManifest run = RunManifest.fromJson(s3.getObjectAsBytes(r -> r.bucket(bucket)
                    .key(manifest.key())).asUtf8String());
            for (StoredObject object : run.objects()) {
                read(reader, object.key(), records);
            }
        }
        return records;
    }

    private S3ObjectReader reader() {
        return S3ObjectReader.builder().s3Client(s3).keyring(keyring).allowPlainHttp(true)
                .build();
    }

    private void read(S3ObjectReader reader, String key, List<ObjectNode> into) {
        try (RecordReader each = reader.readRecords(bucket, key)) {
            each.forEachRemaining(into::add);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
