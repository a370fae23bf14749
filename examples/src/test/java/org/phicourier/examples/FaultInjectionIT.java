package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.state.RunManifest;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Kills {@code jdbc-to-s3} with SIGKILL at random points while the table keeps changing, then
 * checks that the objects the runs committed hold every source row exactly once, by primary key
 * and content. The state is in S3 for PostgreSQL and in a local file for MariaDB.
 */
class FaultInjectionIT {
    private static final int RUNS = 20;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3Emulator emulator;
    private static S3Client s3;
    @TempDir
    Path dir;
    private String bucket;
    private Keyring keyring;
    private Path keyFile;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("PostgreSQL"), Arguments.of("MariaDB"));
    }

    private static boolean postgres(String name) {
        return name.equals("PostgreSQL");
    }

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        bucket = emulator.createBucket("faults");
        byte[] master = new byte[32];
        new Random().nextBytes(master);
        keyring = LocalAesKeyring.of(master);
        keyFile = dir.resolve("master.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(master));
    }

    private List<String> args(TestDatabase.Scratch scratch, String cursor, String state,
            int objectSize) {
        return List.of("jdbc-to-s3", "--jdbc-url", scratch.url(), "--user", scratch.user(),
                "--tables", "items", "--bucket", bucket, "--prefix", "ehr",
                "--master-key-file", keyFile.toString(), "--endpoint",
                emulator.endpoint().toString(), "--keep-all", "--mode", "incremental",
                "--cursor", "items=" + cursor, state.startsWith("s3:") ? "--state-uri"
                        : "--state-file", state, "--max-records-per-object",
                Integer.toString(objectSize), "--batch-size", "20", "--chunk-size", "400");
    }

    private String state(String name) {
        return postgres(name) ? "s3://" + bucket + "/state/items.json"
                : dir.resolve("items-state.json").toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void killedAtRandomPointsWhileTheTableChanges_everyRowIsCommittedExactlyOnce(String name)
            throws Exception {
        long started = System.nanoTime();
        long seed = System.currentTimeMillis();
        Random random = new Random(seed);
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            createChangingItems(scratch, name);
            List<String> args = args(scratch, "updated_at,id", state(name), 40);
            int killed = 0;
            try (ChangeWriter writer = new ChangeWriter(scratch, name)) {
                writer.insert(1_000);
                writer.start();
                for (int run = 0; run < RUNS; run++) {
                    ChildRun child = ChildRun.start(dir, "run-" + run, args);
                    if (killSomewhere(child, random, name)) {
                        killed++;
                    } else {
                        assertThat(child.await(Duration.ZERO)).as(child.output()).isZero();
                    }
                }
            }
            for (int run = 0; run < 2; run++) {
                ChildRun child = ChildRun.start(dir, "final-" + run, args);
                assertThat(child.await(Duration.ofMinutes(3))).as(child.output()).isZero();
            }

            List<String> source = sourceRows(scratch);
            List<String> committed = committedRows();
            assertThat(committed).as("seed %d", seed).doesNotHaveDuplicates()
                    .containsAll(source);
            assertThat(ids(committed)).as("seed %d", seed)
                    .containsExactlyInAnyOrderElementsOf(ids(source));
            assertNothingUncommittedLeft();
            long killedAfterCommitting = new Committed(s3, bucket, "ehr").manifests().stream()
                    .filter(m -> m.outcome() == RunManifest.Outcome.INTERRUPTED
                            && !m.objects().isEmpty()).count();
            System.out.printf("fault injection on %s (seed %d): %d runs, %d killed (%d after"
                    + " committing objects), %d rows, %d row versions committed, %.1f s%n", name,
                    seed, RUNS, killed, killedAfterCommitting, source.size(), committed.size(),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void firstLoadInRandomIdOrderKilledHalfway_rerunDeliversEveryRowOnce(String name)
            throws Exception {
        try (TestDatabase.Scratch scratch = server(name).createScratch()) {
            scratch.execute("CREATE TABLE items (id BIGINT PRIMARY KEY,"
                    + " note VARCHAR(40) NOT NULL)");
            List<Long> ids = new ArrayList<>(LongStream.rangeClosed(1, 4_000).boxed().toList());
            Collections.shuffle(ids, new Random(6));
            insertInOrder(scratch, ids);
            Path stateFile = dir.resolve("first-load.json");
            List<String> args = args(scratch, "id", stateFile.toString(), 100);

            ChildRun first = ChildRun.start(dir, "first", args);
            boolean killed = first.killWhen(() -> nextSequence(stateFile) >= 21,
                    Duration.ofMinutes(2));
            ChildRun rerun = ChildRun.start(dir, "rerun", args);

            assertThat(killed).as(first.output()).isTrue();
            assertThat(rerun.await(Duration.ofMinutes(2))).as(rerun.output()).isZero();
            Committed committed = new Committed(s3, bucket, "ehr");
            assertThat(committed.records(keyring)).extracting(r -> r.get("id").asLong())
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 4_000)
                            .boxed().toList());
            assertThat(committed.manifests()).extracting(RunManifest::outcome).containsExactly(
                    RunManifest.Outcome.INTERRUPTED, RunManifest.Outcome.COMPLETED);
            assertThat(committed.manifests().get(0).objects()).hasSizeBetween(20, 39);
        }
    }

    /**
     * Kills a run at a random point: mostly within 1.2 seconds after it took the state over,
     * while it reads, uploads and commits; sometimes at a random moment from its start, which
     * may fall before it took the state over.
     */
    private boolean killSomewhere(ChildRun child, Random random, String name)
            throws InterruptedException {
        if (random.nextInt(4) == 0) {
            return child.killAfter(Duration.ofMillis(500 + random.nextInt(3_500)));
        }
        long epoch = epoch(name);
        int delay = random.nextInt(1_200);
        return child.waitUntil(() -> epoch(name) > epoch, Duration.ofMinutes(1))
                && child.killAfter(Duration.ofMillis(delay));
    }

    /** Reads the epoch of the state: how many runs have taken it over. */
    private long epoch(String name) {
        try {
            byte[] state = postgres(name) ? s3.getObjectAsBytes(r -> r.bucket(bucket)
                    .key("state/items.json")).asByteArray() : Files.readAllBytes(
                            Path.of(state(name)));
            return JSON.readTree(state).path("epoch").asLong();
        } catch (IOException | software.amazon.awssdk.core.exception.SdkException e) {
            return 0;
        }
    }

    private static TestDatabase server(String name) {
        return postgres(name) ? TestServices.postgres() : TestServices.mariadb();
    }

    private static void createChangingItems(TestDatabase.Scratch scratch, String name)
            throws SQLException {
        // PostgreSQL stamps rows with now(), the start of their transaction, which a naive
        // cursor read gets wrong; MariaDB stamps them as each statement writes them.
        scratch.execute(postgres(name)
                ? "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, updated_at TIMESTAMP(6)"
                        + " NOT NULL DEFAULT now(), version INT NOT NULL,"
                        + " payload VARCHAR(64) NOT NULL)"
                : "CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, updated_at"
                        + " DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE"
                        + " CURRENT_TIMESTAMP(6), version INT NOT NULL,"
                        + " payload VARCHAR(64) NOT NULL)");
    }

    private static void insertInOrder(TestDatabase.Scratch scratch, List<Long> ids)
            throws SQLException {
        try (Connection connection = scratch.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO items VALUES (?, ?)")) {
            for (long id : ids) {
                insert.setLong(1, id);
                insert.setString(2, "note " + id);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static long nextSequence(Path stateFile) {
        try {
            JsonNode state = JSON.readTree(stateFile.toFile());
            return state.path("streams").path("items").path("nextSequence").asLong();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> sourceRows(TestDatabase.Scratch scratch) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = scratch.connect(); Statement statement =
                connection.createStatement(); ResultSet result = statement.executeQuery(
                        "SELECT id, version, payload, updated_at FROM items")) {
            while (result.next()) {
                rows.add(result.getLong(1) + "|" + result.getInt(2) + "|" + result.getString(3)
                        + "|" + ISO.format(result.getObject(4, LocalDateTime.class)));
            }
        }
        return rows;
    }

    private List<String> committedRows() {
        List<String> rows = new ArrayList<>();
        for (ObjectNode record : new Committed(s3, bucket, "ehr").records(keyring)) {
            rows.add(record.get("id").asLong() + "|" + record.get("version").asInt() + "|"
                    + record.get("payload").asText() + "|" + record.get("updated_at").asText());
        }
        return rows;
    }

    private static Set<String> ids(List<String> rows) {
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.substring(0, row.indexOf('|'))));
        return ids;
    }

    private void assertNothingUncommittedLeft() {
        Committed committed = new Committed(s3, bucket, "ehr");
        assertThat(committed.keysOf("items")).containsExactlyInAnyOrderElementsOf(
                committed.objects().stream().map(o -> o.key()).toList());
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }

    /** Inserts and updates rows in small transactions on a thread of its own. */
    private static final class ChangeWriter implements AutoCloseable {
        private final Connection connection;
        private final boolean postgres;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong rows = new AtomicLong();
        private final Random random = new Random();
        private final Thread thread = new Thread(this::changeUntilStopped, "change-writer");
        private volatile Exception failure;

        ChangeWriter(TestDatabase.Scratch scratch, String name) throws SQLException {
            this.connection = scratch.connect();
            this.postgres = postgres(name);
            connection.setAutoCommit(false);
        }

        void insert(int count) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO items (version, payload) VALUES (0, ?)")) {
                for (int i = 0; i < count; i++) {
                    insert.setString(1, "p" + random.nextInt(1_000_000));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
            rows.addAndGet(count);
        }

        void start() {
            thread.start();
        }

        private void changeUntilStopped() {
            try {
                while (running.get()) {
                    insert(1 + random.nextInt(4));
                    update(1 + random.nextInt(3));
                    connection.commit();
                    Thread.sleep(5 + random.nextInt(20));
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        private void update(int count) throws SQLException {
            String stamp = postgres ? ", updated_at = now()" : "";
            try (PreparedStatement update = connection.prepareStatement("UPDATE items SET"
                    + " version = version + 1, payload = ?" + stamp + " WHERE id = ?")) {
                for (int i = 0; i < count; i++) {
                    update.setString(1, "u" + random.nextInt(1_000_000));
                    update.setLong(2, 1 + random.nextInt((int) rows.get()));
                    update.executeUpdate();
                }
            }
        }

        @Override
        public void close() throws SQLException {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.close();
            if (failure != null) {
                throw new AssertionError("the change writer failed", failure);
            }
        }
    }
}
