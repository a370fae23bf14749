package org.phicourier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.phicourier.masking.MaskingTransformer;
import org.phicourier.metrics.RunListener;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.QuarantineNote;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.Transformer;
import org.phicourier.testdoubles.CollectingSink;
import org.phicourier.testdoubles.ListSource;

/** Transforming one stream's batches on several threads, with the output of one. */
class TransformThreadsTest {
    private static final Schema SCHEMA = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("name", FieldType.STRING));

    private static List<Row> rows(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> Row.of(SCHEMA, (long) i, "name-" + i)).toList();
    }

    private static List<Row> upperCased(List<Row> rows) {
        return rows.stream().map(r -> Row.of(SCHEMA, r.get(0),
                ((String) r.get(1)).toUpperCase())).toList();
    }

    @Test
    void run_severalThreads_handsBatchesToTheSinkInReadOrder() {
        Jittery upper = new Jittery(true);
        CollectingSink sink = new CollectingSink();

        Pipeline.from(new ListSource(7).stream("a", SCHEMA, rows(2_000))).through(upper)
                .to(sink).transformThreads(4).build().run();

        assertThat(sink.committed().get("a")).isEqualTo(upperCased(rows(2_000)));
        assertThat(upper.threads).hasSize(4);
    }

    @Test
    void run_transformationWithoutACopy_isAppliedFromOneThreadInOrder() {
        Jittery upper = new Jittery(false);
        CollectingSink sink = new CollectingSink();

        Pipeline.from(new ListSource(7).stream("a", SCHEMA, rows(500))).through(upper)
                .to(sink).transformThreads(4).build().run();

        assertThat(sink.committed().get("a")).isEqualTo(upperCased(rows(500)));
        assertThat(upper.threads).hasSize(1);
        assertThat(upper.firstPositions).isSorted();
    }

    @Test
    void run_twoBatchesFail_reportsTheFirstInReadOrder() {
        Jittery failing = new Jittery(true).failingAt(29, 15);
        CollectingSink sink = new CollectingSink();
        Pipeline pipeline = Pipeline.from(new ListSource(7).stream("a", SCHEMA, rows(500)))
                .through(failing).to(sink).transformThreads(4).build();

        assertThatThrownBy(pipeline::run).isInstanceOf(SchemaViolationException.class)
                .hasMessage("stream 'a', field 'name', row 15: refused");
        assertThat(sink.aborted()).containsExactly("a");
    }

    @Test
    void run_severalThreads_sumsEachCopysCountersOnce() {
        MaskingTransformer masking = MaskingTransformer.builder()
                .stream("a", r -> r.keep("id").redact("name")).build();

        RunReport report = Pipeline.from(new ListSource(10).stream("a", SCHEMA, rows(1_000)))
                .through(masking).to(new CollectingSink()).transformThreads(3).build().run();

        assertThat(report.stream("a").counters()).containsEntry("masking.keep", 1_000L)
                .containsEntry("masking.redact", 1_000L);
    }

    @Test
    void run_severalThreads_tellsOfQuarantinedRecordsInReadOrderOnTheRunningThread() {
        List<Long> positions = new CopyOnWriteArrayList<>();
        Set<Thread> told = ConcurrentHashMap.newKeySet();
        RunListener listener = new RunListener() {
            @Override
            public void onRecordQuarantined(String stream, QuarantineNote note) {
                positions.add(note.position());
                told.add(Thread.currentThread());
            }
        };

        Pipeline.from(new ListSource(5).stream("a", SCHEMA, rows(300)))
                .through(new Jittery(true).notingEvery(7)).to(new CollectingSink())
                .listener(listener).transformThreads(4).build().run();

        assertThat(positions).hasSize(300 / 7).isSorted();
        assertThat(told).containsExactly(Thread.currentThread());
    }

    @Test
    void build_transformThreadsBelowOne_isRefused() {
        Pipeline.Builder builder = Pipeline.from(new ListSource(5)).to(new CollectingSink())
                .transformThreads(0);

        assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class)
                .hasMessage("transformThreads must be at least 1");
    }

    /**
     * Upper-cases names after a random pause, so that later batches often finish first;
     * remembers the threads and batches it saw.
     */
    private static final class Jittery implements Transformer {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final List<Long> firstPositions = new CopyOnWriteArrayList<>();
        private final boolean copies;
        private long[] failAt = new long[0];
        private int noteEvery;

        Jittery(boolean copies) {
            this.copies = copies;
        }

        Jittery failingAt(long... positions) {
            this.failAt = positions;
            return this;
        }

        Jittery notingEvery(int records) {
            this.noteEvery = records;
            return this;
        }

        @Override
        public StreamTransform bind(StreamDescriptor input) {
            return new Bound(input.name());
        }

        private final class Bound implements StreamTransform {
            private final String stream;
            private final List<QuarantineNote> notes = new java.util.ArrayList<>();

            Bound(String stream) {
                this.stream = stream;
            }

            @Override
            public Schema outputSchema() {
                return SCHEMA;
            }

            @Override
            public RowBatch apply(RowBatch batch) {
                threads.add(Thread.currentThread());
                firstPositions.add(batch.firstPosition());
                pause();
                long position = batch.firstPosition();
                for (Row row : batch.rows()) {
                    check(position);
                    if (noteEvery > 0 && position % noteEvery == 0) {
                        notes.add(new QuarantineNote("rule", "name", position));
                    }
                    position++;
                }
                return RowBatch.of(SCHEMA, upperCased(batch.rows()), batch.firstPosition());
            }

            private void check(long position) {
                for (long fail : failAt) {
                    if (position == fail) {
                        throw new SchemaViolationException("stream '" + stream
                                + "', field 'name', row " + position + ": refused");
                    }
                }
            }

            private void pause() {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public List<QuarantineNote> takeQuarantined() {
                List<QuarantineNote> taken = List.copyOf(notes);
                notes.clear();
                return taken;
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of();
            }

            @Override
            public Optional<StreamTransform> copy() {
                return copies ? Optional.of(new Bound(stream)) : Optional.empty();
            }
        }
    }
}
