package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.SchemaViolationException;
import org.phicourier.SourceException;
import org.phicourier.StateConflictException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.s3.S3Sink;
import org.phicourier.s3.S3StateStore;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.Transformer;
import org.phicourier.state.StateStore;
import org.phicourier.state.StoredState;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Incremental sync end to end on real PostgreSQL and MariaDB into the S3 emulator, with the
 * state in S3: ties at the checkpoint, idle runs, late commits, two runs at once, full refresh
 * generations, and no PHI in the state.
 */
class IncrementalSyncIT {
    private static S3Emulator emulator;
    private static S3Client s3;
    private static Keyring keyring;
    private String bucket;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("PostgreSQL"), Arguments.of("MariaDB"));
    }

    private static TestDatabase server(String name) {
        return name.equals("PostgreSQL") ? TestServices.postgres() : TestServices.mariadb();
    }

    private static String timestamp(String name) {
        return name.equals("PostgreSQL") ? "TIMESTAMP(6)" : "DATETIME(6)";
    }

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        byte[] master = new byte[32];
        new Random(66).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = emulator.createBucket("sync");
    }

    private StateStore state() {
        return S3StateStore.builder().s3Client(s3).bucket(bucket).key("state/items.json")
                .allowPlainHttp(true).build();
    }

    private S3Sink sink(long maxRecords) {
        return S3Sink.builder().s3Client(s3).bucket(bucket).prefix("ehr").keyring(keyring)
                .maxRecordsPerObject(maxRecords).allowPlainHttp(true).build();
    }

    private static JdbcSource.Builder source(TestDatabase.Scratch scratch) {
        return JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user()).table("items")
                .batchSize(1).chunkSize(4);
    }

    private static JdbcSource incremental(TestDatabase.Scratch scratch, String... cursor) {
        return source(scratch).mode(ReplicationMode.INCREMENTAL).cursor("items", cursor).build();
    }

    private RunReport run(JdbcSource source, Transformer... transformers) {
        Pipeline.Builder pipeline = Pipeline.from(source);
        for (Transformer transformer : transformers) {
            pipeline.through(transformer);
        }
        return pipeline.to(sink(1)).state(state(), keyring).build().run();
    }

    private Committed committed() {
        return new Committed(s3, bucket, "ehr");
    }

    private List<Long> committedIds() {
        return committed().records(keyring).stream().map(r -> r.get("id").asLong()).toList();
    }

    private static List<Long> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static void createItems(TestDatabase.Scratch scratch, String name) throws Exception {
        scratch.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, updated_at " + timestamp(name)
                + " NOT NULL, note VARCHAR(40) NOT NULL)");
    }

    private static void insert(TestDatabase.Scratch scratch, long id, String updatedAt)
            throws Exception {
        scratch.execute("INSERT INTO items VALUES (" + id + ", '" + updatedAt + "', 'Patient "
                + id + "')");
    }

    /** Fails the run when the record with the given id reaches it. */
    private static Transformer failingAt(long id) {
        return input -> new StreamTransform() {
            @Override
            public Schema outputSchema() {
                return input.schema();
            }

            @Override
            public RowBatch apply(RowBatch batch) {
                if (batch.rows().stream().anyMatch(r -> ((Long) r.get(0)) == id)) {
                    throw new SchemaViolationException("stream 'items', row "
                            + batch.firstPosition() + ": refused");
                }
                return batch;
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void run_failsAfterTheFirstOfThreeRowsSharingTheCheckpointCursor_rerunDeliversAllOnce(
            String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            for (long id = 1; id <= 7; id++) {
                insert(scratch, id, id <= 3 ? "2026-01-01 09:00:00" : id <= 6
                        ? "2026-01-01 10:00:00" : "2026-01-01 11:00:00");
            }
            // The cursor is updated_at alone: ids 4, 5 and 6 share its value.
            JdbcSource source = incremental(scratch, "updated_at");

            assertThatThrownBy(() -> run(source, failingAt(5)))
                    .isInstanceOf(SchemaViolationException.class);
            List<Long> afterFailure = committedIds();
            run(source);

            assertThat(afterFailure).containsExactly(1L, 2L, 3L, 4L);
            assertThat(committedIds()).containsExactlyInAnyOrderElementsOf(ids(1, 7));
        }
    }

    @Test
    void run_databaseConnectionDroppedMidRead_rerunDeliversEveryRowOnce() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            createItems(scratch, "PostgreSQL");
            for (long id = 1; id <= 200; id++) {
                insert(scratch, id, "2026-01-01 09:00:00");
            }
            JdbcSource source = JdbcSource.builder().jdbcUrl(scratch.url()
                    + "&ApplicationName=phi-reader").user(scratch.user()).table("items")
                    .batchSize(1).chunkSize(4).mode(ReplicationMode.INCREMENTAL)
                    .cursor("items", "updated_at", "id").build();

            assertThatThrownBy(() -> run(source, droppingReaderAt(3, scratch)))
                    .isInstanceOf(SourceException.class);
            run(source);

            assertThat(committedIds()).containsExactlyInAnyOrderElementsOf(ids(1, 200));
        }
    }

    /** Terminates the reader's database session when the record with the given id passes. */
    private static Transformer droppingReaderAt(long id, TestDatabase.Scratch scratch) {
        return input -> new StreamTransform() {
            @Override
            public Schema outputSchema() {
                return input.schema();
            }

            @Override
            public RowBatch apply(RowBatch batch) {
                if (batch.rows().stream().anyMatch(r -> ((Long) r.get(0)) == id)) {
                    try {
                        scratch.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                + " WHERE application_name = 'phi-reader'");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return batch;
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void run_withoutSourceChanges_writesNoNewRecords(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            for (long id = 1; id <= 5; id++) {
                insert(scratch, id, "2026-01-01 09:00:00");
            }
            JdbcSource source = incremental(scratch, "updated_at", "id");
            run(source);
            int objects = committed().objects().size();

            RunReport idle = run(source);

            assertThat(idle.recordsRead()).isZero();
            assertThat(idle.recordsWritten()).isZero();
            assertThat(committed().objects()).hasSize(objects);
            assertThat(committed().keysOf("items")).hasSize(objects);
        }
    }

    @Test
    void run_postgresRowsCommittedAfterTheRunStartedBelowTheBookmark_comeWithTheNextRun()
            throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch();
                Connection late = scratch.connect()) {
            createItems(scratch, "PostgreSQL");
            insert(scratch, 10, "2026-01-01 10:00:00");
            JdbcSource source = incremental(scratch, "updated_at", "id");
            run(source);
            late.setAutoCommit(false);
            try (Statement statement = late.createStatement()) {
                statement.execute("INSERT INTO items VALUES (1, '2020-01-01', 'late one'),"
                        + " (2, '2026-01-01 10:00:00', 'late two')");
            }
            insert(scratch, 20, "2026-01-01 12:00:00");

            RunReport during = run(source);
            late.commit();
            RunReport after = run(source);

            // The open transaction holds the horizon back: row 20, committed after it began,
            // waits with it.
            assertThat(during.recordsWritten()).isZero();
            assertThat(after.recordsWritten()).isEqualTo(3);
            assertThat(committedIds()).containsExactlyInAnyOrder(1L, 2L, 10L, 20L);
        }
    }

    @Test
    void run_mariaDbRowCommittedAfterTheRunStarted_isDeliveredOnce() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch();
                Connection late = scratch.connect(); Connection watch = scratch.connect()) {
            scratch.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                    + " ON UPDATE CURRENT_TIMESTAMP(6), note VARCHAR(40) NOT NULL)");
            scratch.execute("INSERT INTO items (note) VALUES ('first')");
            JdbcSource source = incremental(scratch, "updated_at", "id");
            run(source);
            late.setAutoCommit(false);
            try (Statement statement = late.createStatement()) {
                statement.execute("INSERT INTO items (note) VALUES ('late')");
            }
            scratch.execute("INSERT INTO items (note) VALUES ('after')");

            CompletableFuture<RunReport> during = CompletableFuture.supplyAsync(() ->
                    run(source));
            Locks.awaitMetadataLockWait(watch);
            late.commit();
            during.get(60, TimeUnit.SECONDS);
            run(source);

            assertThat(committed().records(keyring)).extracting(r -> r.get("note").asText())
                    .containsExactlyInAnyOrder("first", "late", "after");
        }
    }

    @Test
    void run_twoPipelinesStartedAtOnce_oneCommitsTheOtherFailsCleanly() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            createItems(scratch, "PostgreSQL");
            for (long id = 1; id <= 12; id++) {
                insert(scratch, id, "2026-01-01 09:00:00");
            }
            CountDownLatch bothRead = new CountDownLatch(2);
            CompletableFuture<RunReport> a = CompletableFuture.supplyAsync(() -> runMeeting(
                    incremental(scratch, "updated_at", "id"), bothRead));
            CompletableFuture<RunReport> b = CompletableFuture.supplyAsync(() -> runMeeting(
                    incremental(scratch, "updated_at", "id"), bothRead));

            List<Throwable> failures = failures(a, b);
            RunReport afterwards = run(incremental(scratch, "updated_at", "id"));

            assertThat(failures).singleElement().isInstanceOf(StateConflictException.class);
            assertThat(afterwards.recordsWritten()).isZero();
            assertThat(committedIds()).containsExactlyInAnyOrderElementsOf(ids(1, 12));
        }
    }

    private RunReport runMeeting(JdbcSource source, CountDownLatch bothRead) {
        return Pipeline.from(source).to(sink(1)).state(new MeetingStore(state(), bothRead),
                keyring).build().run();
    }

    private static List<Throwable> failures(CompletableFuture<?>... runs) throws Exception {
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<?> run : runs) {
            try {
                run.get(120, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        return failures;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void run_threeSuccessiveFullRefreshes_leaveExactlyTheLastGeneration(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createItems(scratch, name);
            for (long id = 1; id <= 6; id++) {
                insert(scratch, id, "2026-01-01 09:00:00");
            }
            JdbcSource source = source(scratch).build();

            List<RunReport> reports = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reports.add(run(source));
            }

            List<String> last = reports.get(2).stream("items").objectKeys();
            assertThat(last).hasSize(6).allMatch(k -> k.contains("/items/g000003-"));
            assertThat(committed().keysOf("items")).containsExactlyInAnyOrderElementsOf(last);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void run_cursorOnANameColumn_stateHoldsNoName(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE items (id BIGINT PRIMARY KEY,"
                    + " family_name VARCHAR(40) NOT NULL)");
            scratch.execute("INSERT INTO items VALUES (1, 'Abernathy'), (2, 'Okonkwo')");

            run(incremental(scratch, "family_name"));

            String stateText = new String(state().read().map(StoredState::document)
                    .orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(stateText).contains("prior.family_name")
                    .doesNotContain("Abernathy").doesNotContain("Okonkwo");
            assertThat(committed().records(keyring)).extracting(r -> r.get("family_name")
                    .asText()).containsExactlyInAnyOrder("Abernathy", "Okonkwo");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void run_cursorOnNames_noNameReachesAnyLogAtTrace(String name) throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE items (id BIGINT PRIMARY KEY,"
                    + " family_name VARCHAR(40) NOT NULL)");
            scratch.execute("INSERT INTO items VALUES (1, 'Abernathy'), (2, 'Okonkwo'),"
                    + " (3, 'Vasquez-Ruiz'), (4, 'Zielinski')");
            JdbcSource source = source(scratch).mode(ReplicationMode.INCREMENTAL)
                    .cursor("items", "family_name").chunkSize(2).build();
            String logs;
            // Every logger at TRACE but the MariaDB driver's packet dumps, which the JDBC
            // source refuses to run beside.
            try (CapturedLogs captured = CapturedLogs.everythingAtTrace()
                    .withLevel("org.mariadb.jdbc.client.socket", "DEBUG")) {
                assertThatThrownBy(() -> run(source, failingAt(3)))
                        .isInstanceOf(SchemaViolationException.class);
                run(source);
                run(source);
                logs = captured.text();
            }

            assertThat(logs).contains("items").doesNotContain("Abernathy", "Okonkwo",
                    "Vasquez", "Zielinski");
            assertThat(committedIds()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        }
    }

    /** A state store that lets a run go on only once another run has read the state too. */
    private static final class MeetingStore implements StateStore {
        private final StateStore delegate;
        private final CountDownLatch bothRead;

        MeetingStore(StateStore delegate, CountDownLatch bothRead) {
            this.delegate = delegate;
            this.bothRead = bothRead;
        }

        @Override
        public Optional<StoredState> read() {
            Optional<StoredState> state = delegate.read();
            bothRead.countDown();
            try {
                bothRead.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return state;
        }

        @Override
        public String write(byte[] document, Optional<String> expectedVersion) {
            return delegate.write(document, expectedVersion);
        }
    }

}
