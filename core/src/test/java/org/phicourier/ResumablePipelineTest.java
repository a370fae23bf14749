package org.phicourier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.state.FileStateStore;
import org.phicourier.state.RunManifest;
import org.phicourier.state.StateStore;
import org.phicourier.state.StoredState;
import org.phicourier.testdoubles.CollectingSink;
import org.phicourier.testdoubles.CursorListSource;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testdoubles.MemorySink;

/** Runs with state against in-memory sources and sinks: bookmarks, resume and generations. */
class ResumablePipelineTest {
    private static final Schema SCHEMA = CursorListSource.schema(FieldType.INT64);
    private static final Keyring KEYRING = LocalAesKeyring.of(new byte[32]);

    @TempDir
    Path dir;

    private static List<Row> rows(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> Row.of(SCHEMA, i, "name-" + i))
                .toList();
    }

    private static List<Object> ids(List<Row> rows) {
        return rows.stream().map(r -> r.get(0)).toList();
    }

    private StateStore store() {
        return FileStateStore.of(dir.resolve("state.json"));
    }

    private RunReport run(CursorListSource source, MemorySink sink) {
        return Pipeline.from(source).to(sink).state(store(), KEYRING).build().run();
    }

    private CursorListSource incremental() {
        return new CursorListSource("patients", SCHEMA, ReplicationMode.INCREMENTAL, 4);
    }

    @Test
    void run_incrementalTwiceWithoutChanges_secondRunWritesNothing() {
        CursorListSource source = incremental().add(rows(1, 10));
        MemorySink sink = new MemorySink(3);

        RunReport first = run(source, sink);
        RunReport second = run(source, sink);

        assertThat(first.recordsWritten()).isEqualTo(10);
        assertThat(second.recordsWritten()).isZero();
        assertThat(second.stream("patients").objectKeys()).isEmpty();
        assertThat(ids(sink.committedRows())).isEqualTo(ids(rows(1, 10)));
    }

    @Test
    void run_incrementalAfterNewRows_deliversOnlyTheNewOnes() {
        CursorListSource source = incremental().add(rows(1, 10));
        MemorySink sink = new MemorySink(3);
        run(source, sink);

        source.add(rows(11, 15));
        RunReport second = run(source, sink);

        assertThat(second.recordsWritten()).isEqualTo(5);
        assertThat(ids(sink.committedRows())).isEqualTo(ids(rows(1, 15)));
    }

    @Test
    void run_failsMidStream_rerunDeliversTheRestExactlyOnce() {
        CursorListSource source = incremental().add(rows(1, 40)).failBeforeBatch(b -> b == 5);
        MemorySink sink = new MemorySink(6);

        assertThatThrownBy(() -> run(source, sink)).isInstanceOf(SourceException.class);
        source.failBeforeBatch(b -> false);
        run(source, sink);

        assertThat(ids(sink.committedRows())).isEqualTo(ids(rows(1, 40)));
        assertThat(sink.manifests().values()).extracting(RunManifest::outcome)
                .containsExactlyInAnyOrder(RunManifest.Outcome.FAILED,
                        RunManifest.Outcome.COMPLETED);
    }

    @Test
    void run_failsBeforeAnObjectIsComplete_savesNoBookmarkForItsRows() {
        // Five batches of four rows reach 20 rows; objects hold 12, so rows 13-20 are in an
        // unfinished object when reading fails and must be read again.
        CursorListSource source = incremental().add(rows(1, 30)).failBeforeBatch(b -> b == 5);
        MemorySink sink = new MemorySink(12);

        assertThatThrownBy(() -> run(source, sink)).isInstanceOf(SourceException.class);
        List<Row> afterFailure = sink.committedRows();
        source.failBeforeBatch(b -> false);
        run(source, sink);

        assertThat(ids(afterFailure)).isEqualTo(ids(rows(1, 12)));
        assertThat(ids(sink.committedRows())).isEqualTo(ids(rows(1, 30)));
    }

    @Test
    void run_streamEndsInTheMiddleOfAnObject_savesTheFinalBookmark() {
        CursorListSource source = incremental().add(rows(1, 5));
        MemorySink sink = new MemorySink(100);
        run(source, sink);

        RunReport second = run(source, sink);

        assertThat(second.recordsRead()).isZero();
        assertThat(sink.objects()).hasSize(1);
    }

    @Test
    void run_killedBeforeItsManifest_nextRunPublishesItAsInterrupted() {
        CursorListSource source = incremental().add(rows(1, 20));
        MemorySink sink = new MemorySink(5);
        // Every write of the state after the third fails, as if the process had died there.
        StateStore dying = new FailingStore(store(), 3);
        assertThatThrownBy(() -> Pipeline.from(source).to(sink).state(dying, KEYRING).build()
                .run()).isInstanceOf(SinkException.class);

        run(source, sink);

        assertThat(sink.manifests().values()).extracting(RunManifest::outcome)
                .containsExactlyInAnyOrder(RunManifest.Outcome.INTERRUPTED,
                        RunManifest.Outcome.COMPLETED);
        assertThat(ids(sink.committedRows())).isEqualTo(ids(rows(1, 20)));
    }

    @Test
    void run_abandonedUploadOfAnEarlierRun_isAborted() {
        MemorySink sink = new MemorySink(5);
        sink.startUpload("patients/g000001/00000009");

        run(incremental().add(rows(1, 3)), sink);

        assertThat(sink.uploads()).isEmpty();
    }

    @Test
    void run_objectCompletedButNeverCommitted_isRemovedOrReplaced() {
        CursorListSource source = incremental().add(rows(1, 10));
        MemorySink sink = new MemorySink(5);
        run(source, sink);
        // A run of an older epoch completed object 3 and died before saving its bookmark.
        sink.open(org.phicourier.spi.StreamContext.resumable("old", "patients",
                java.time.Instant.EPOCH, new org.phicourier.spi.ObjectSeries(1, 1,
                        java.time.Instant.EPOCH, 3)), SCHEMA).write(
                org.phicourier.model.RowBatch.of(SCHEMA, rows(99, 99), 1));

        run(source, sink);

        assertThat(sink.objects()).containsOnlyKeys(MemorySink.key("patients", 1, 1),
                MemorySink.key("patients", 1, 2));
    }

    @Test
    void run_threeFullRefreshes_leaveOnlyTheLastGeneration() {
        CursorListSource source = new CursorListSource("patients", SCHEMA,
                ReplicationMode.FULL_REFRESH, 4).add(rows(1, 10));
        MemorySink sink = new MemorySink(3);

        for (int i = 0; i < 3; i++) {
            run(source, sink);
        }

        // Objects close between batches of four once they hold three records or more.
        assertThat(sink.objects().keySet()).allMatch(k -> k.startsWith("patients/g000003/"))
                .hasSize(3);
        assertThat(sink.manifests().values()).flatExtracting(RunManifest::streams)
                .flatExtracting(RunManifest.StreamEntry::retiredGenerations)
                .containsExactly(1L, 2L);
    }

    @Test
    void run_fullRefreshFailsMidway_keepsThePreviousGenerationAndResumes() {
        CursorListSource source = new CursorListSource("patients", SCHEMA,
                ReplicationMode.FULL_REFRESH, 4).add(rows(1, 20));
        MemorySink sink = new MemorySink(4);
        run(source, sink);
        source.failBeforeBatch(b -> b == 3);

        assertThatThrownBy(() -> run(source, sink)).isInstanceOf(SourceException.class);
        assertThat(sink.objects().keySet()).filteredOn(k -> k.contains("/g000001/")).hasSize(5);
        int reads = source.opened();
        source.failBeforeBatch(b -> false);
        run(source, sink);

        assertThat(source.opened()).isEqualTo(reads + 1);
        assertThat(sink.objects().keySet()).allMatch(k -> k.contains("/g000002/")).hasSize(5);
        List<Row> generation2 = sink.objects().values().stream()
                .flatMap(s -> s.rows().stream()).toList();
        assertThat(ids(generation2)).isEqualTo(ids(rows(1, 20)));
    }

    @Test
    void run_schemaChanged_startsANewGenerationFromTheStart() {
        CursorListSource source = incremental().add(rows(1, 6));
        MemorySink sink = new MemorySink(3);
        run(source, sink);

        Pipeline.from(source).through(renameTo("full_name")).to(sink)
                .state(store(), KEYRING).build().run();

        assertThat(sink.objects().keySet()).allMatch(k -> k.contains("/g000002/")).hasSize(2);
    }

    @Test
    void run_twoPipelinesStartedAtOnce_oneCommitsAndTheOtherFailsCleanly() throws Exception {
        CursorListSource first = incremental().add(rows(1, 30));
        CursorListSource second = incremental().add(rows(1, 30));
        MemorySink sink = new MemorySink(4);
        CountDownLatch bothRead = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RunReport> a = pool.submit(() -> Pipeline.from(first).to(sink)
                    .state(new MeetingStore(store(), bothRead), KEYRING).build().run());
            Future<RunReport> b = pool.submit(() -> Pipeline.from(second).to(sink)
                    .state(new MeetingStore(store(), bothRead), KEYRING).build().run());
            List<Throwable> failures = failures(a, b);

            assertThat(failures).singleElement().isInstanceOf(StateConflictException.class);
            assertThat(first.opened() + second.opened()).isEqualTo(1);
            assertThat(ids(sink.committedRows())).isEqualTo(ids(rows(1, 30)));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Throwable> failures(Future<?>... runs) throws Exception {
        List<Throwable> failures = new java.util.ArrayList<>();
        for (Future<?> run : runs) {
            try {
                run.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        return failures;
    }

    @Test
    void run_stateFromANewerVersion_isRefusedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("state.json");
        String newer = "{\"format\":\"phi-courier-state\",\"formatVersion\":2}";
        Files.writeString(file, newer);
        CursorListSource source = incremental().add(rows(1, 3));

        assertThatThrownBy(() -> run(source, new MemorySink(3)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("written by a newer version")
                .hasMessageContaining("left as it is");
        assertThat(Files.readString(file)).isEqualTo(newer);
        assertThat(source.opened()).isZero();
    }

    @Test
    void run_corruptedState_isRefusedAndLeftAsItIs() throws Exception {
        CursorListSource source = incremental().add(rows(1, 3));
        run(source, new MemorySink(3));
        Path file = dir.resolve("state.json");
        String truncated = Files.readString(file).substring(0, 200);
        Files.writeString(file, truncated);

        assertThatThrownBy(() -> run(source, new MemorySink(3)))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("is corrupted");
        assertThat(Files.readString(file)).isEqualTo(truncated);
    }

    @Test
    void run_bookmarkTampered_isRefused() throws Exception {
        CursorListSource source = incremental().add(rows(1, 3));
        run(source, new MemorySink(3));
        Path file = dir.resolve("state.json");
        String state = Files.readString(file);
        int at = state.indexOf("\"ciphertext\" : \"") + 16;
        char flipped = state.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(file, state.substring(0, at) + flipped + state.substring(at + 1));

        assertThatThrownBy(() -> run(source, new MemorySink(3)))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("stream 'patients'");
    }

    @Test
    void run_textCursor_stateHoldsNoPlaintextValue() throws Exception {
        Schema byName = CursorListSource.schema(FieldType.STRING);
        CursorListSource source = new CursorListSource("patients", byName,
                ReplicationMode.INCREMENTAL, 2).add(IntStream.range(0, 5)
                        .mapToObj(i -> Row.of(byName, "Smith-" + i, "x")).toList());

        Pipeline.from(source).to(new MemorySink(2)).state(store(), KEYRING).build().run();

        String state = Files.readString(dir.resolve("state.json"), StandardCharsets.UTF_8);
        assertThat(state).contains("\"last.id\"").doesNotContain("Smith");
    }

    @Test
    void build_stateWithASinkThatCannotResume_isRefused() {
        assertThatThrownBy(() -> Pipeline.from(new ListSource(1)).to(new CollectingSink())
                .state(store(), KEYRING).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sink that can resume");
    }

    private static org.phicourier.spi.Transformer renameTo(String newName) {
        return input -> new org.phicourier.spi.StreamTransform() {
            private final Schema out = Schema.of(input.schema().field(0),
                    org.phicourier.model.Field.of(newName, FieldType.STRING));

            @Override
            public Schema outputSchema() {
                return out;
            }

            @Override
            public org.phicourier.model.RowBatch apply(org.phicourier.model.RowBatch batch) {
                return org.phicourier.model.RowBatch.of(out, batch.rows().stream()
                        .map(r -> Row.of(out, r.get(0), r.get(1))).toList(),
                        batch.firstPosition());
            }
        };
    }

    /** A store whose writes fail after a number of them, as if the process died then. */
    private static final class FailingStore implements StateStore {
        private final StateStore delegate;
        private int writesLeft;

        FailingStore(StateStore delegate, int writes) {
            this.delegate = delegate;
            this.writesLeft = writes;
        }

        @Override
        public Optional<StoredState> read() {
            return delegate.read();
        }

        @Override
        public String write(byte[] document, Optional<String> expectedVersion) {
            if (writesLeft-- <= 0) {
                throw new SinkException("state store unreachable");
            }
            return delegate.write(document, expectedVersion);
        }
    }

    /** A store that lets its reader go on only once another reader has read too. */
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
                bothRead.await(10, TimeUnit.SECONDS);
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
