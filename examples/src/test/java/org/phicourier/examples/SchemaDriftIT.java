package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.SchemaViolationException;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.model.Schema;
import org.phicourier.s3.RecordReader;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3Sink;
import org.phicourier.schema.DriftKind;
import org.phicourier.schema.DriftPolicy;
import org.phicourier.schema.SchemaDrift;
import org.phicourier.schema.SchemaJson;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.state.FileStateStore;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/** A table gains a column between two incremental runs against PostgreSQL and the emulator. */
class SchemaDriftIT {
    private static final LocalAesKeyring KEY = LocalAesKeyring.of(new byte[32]);

    @TempDir
    Path dir;
    private TestDatabase.Scratch scratch;
    private S3Client s3;
    private String bucket;
    private S3ObjectReader reader;

    @BeforeEach
    void setUp() throws Exception {
        scratch = TestServices.postgres().createScratch();
        scratch.execute("CREATE TABLE visits (id BIGINT PRIMARY KEY, seen TIMESTAMP NOT NULL,"
                + " clinic TEXT)", "INSERT INTO visits VALUES (1, '2026-01-01', 'north'),"
                + " (2, '2026-01-02', 'south')");
        S3Emulator emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        bucket = emulator.createBucket("drift");
        reader = S3ObjectReader.builder().s3Client(s3).keyring(KEY).allowPlainHttp(true).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        s3.close();
        scratch.close();
    }

    private RunReport run(SchemaDrift drift) {
        JdbcSource source = JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user())
                .mode(ReplicationMode.INCREMENTAL).table("visits").cursor("visits", "seen")
                .build();
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).keyring(KEY)
                .allowPlainHttp(true).build();
        return Pipeline.from(source).to(sink).state(FileStateStore.of(dir.resolve("state.json")),
                KEY).schemaDrift(drift).build().run();
    }

    private void addColumn() throws Exception {
        scratch.execute("ALTER TABLE visits ADD COLUMN email TEXT",
                "INSERT INTO visits VALUES (3, '2026-01-03', 'east', 'a@example.org')");
    }

    private Map<String, String> etags(List<String> keys) {
        return keys.stream().collect(Collectors.toMap(k -> k,
                k -> s3.headObject(h -> h.bucket(bucket).key(k)).eTag()));
    }

    private List<ObjectNode> records(String prefix) {
        List<String> keys = reader.listObjects(bucket, prefix).stream()
                .filter(k -> k.endsWith(".jsonl.gz")).toList();
        List<ObjectNode> all = new ArrayList<>();
        try (RecordReader each = reader.readRecords(bucket, keys)) {
            each.forEachRemaining(all::add);
        }
        return all;
    }

    @Test
    void run_columnAddedUnderEvolve_recordsVersionTwoBesideTheDataAndKeepsRunOne()
            throws Exception {
        SchemaDrift evolve = SchemaDrift.builder().onDrift(DriftPolicy.EVOLVE).build();
        RunReport first = run(evolve);
        Map<String, String> firstObjects = etags(first.stream("visits").objectKeys());
        addColumn();

        RunReport second = run(evolve);

        assertThat(second.stream("visits").recordsWritten()).isEqualTo(1);
        assertThat(second.stream("visits").counters()).containsEntry("schema.version", 2L)
                .containsEntry("schema.drift.changes", 1L);
        assertThat(etags(new ArrayList<>(firstObjects.keySet()))).isEqualTo(firstObjects);
        List<ObjectNode> versions = records("visits.schema/");
        assertThat(versions).extracting(v -> v.get("version").asInt())
                .containsExactlyInAnyOrder(1, 2);
        ObjectNode two = versions.stream().filter(v -> v.get("version").asInt() == 2)
                .findFirst().orElseThrow();
        Schema schema = SchemaJson.fromJson(two.get("schema"));
        assertThat(schema.names()).containsExactly("id", "seen", "clinic", "email");
        assertThat(two.get("changes").get(0).asText()).isEqualTo("field 'email' added (STRING)");
        List<String> keys = second.stream("visits").objectKeys();
        try (RecordReader rows = reader.readRecords(bucket, keys)) {
            assertThat(rows.nextRow(schema).get("email")).contains("a@example.org");
        }
    }

    @Test
    void run_columnAddedUnderStop_failsNamingTheChangeAndWritesNothing() throws Exception {
        SchemaDrift stop = SchemaDrift.builder().on(DriftKind.FIELD_ADDED, DriftPolicy.STOP)
                .build();
        RunReport first = run(stop);
        addColumn();

        assertThatThrownBy(() -> run(stop)).isInstanceOf(SchemaViolationException.class)
                .hasMessageContaining("stream 'visits'")
                .hasMessageContaining("field 'email' added");
        assertThat(reader.listObjects(bucket, "visits/").stream()
                .filter(k -> k.endsWith(".jsonl.gz")).toList())
                .containsExactlyInAnyOrderElementsOf(first.stream("visits").objectKeys());
    }

    @Test
    void run_columnAddedUnderDrop_deliversTheOldShape() throws Exception {
        SchemaDrift drop = SchemaDrift.builder().onDrift(DriftPolicy.DROP).build();
        run(drop);
        addColumn();

        RunReport second = run(drop);

        assertThat(second.stream("visits").counters()).containsEntry("schema.version", 1L)
                .containsEntry("schema.drift.fieldsDropped", 1L);
        List<String> keys = second.stream("visits").objectKeys();
        try (RecordReader rows = reader.readRecords(bucket, keys)) {
            ObjectNode record = rows.next();
            assertThat(record.has("email")).isFalse();
            assertThat(record.get("clinic").asText()).isEqualTo("east");
        }
    }
}
