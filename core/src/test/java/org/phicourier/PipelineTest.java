package org.phicourier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.phicourier.masking.MaskingTransformer;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Sink;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.Transformer;
import org.phicourier.testdoubles.CollectingSink;
import org.phicourier.testdoubles.ListSource;

class PipelineTest {
    private static final Schema SCHEMA = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("name", FieldType.STRING));

    private static List<Row> rows(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> Row.of(SCHEMA, (long) i, "name-" + i)).toList();
    }

    @Test
    void run_everyStream_arrivesWholeAndInOrderWithCounts() {
        ListSource source = new ListSource(7).stream("a", SCHEMA, rows(25))
                .stream("b", SCHEMA, rows(0));
        CollectingSink sink = new CollectingSink();

        RunReport report = Pipeline.from(source).to(sink).build().run();

        assertThat(sink.committed().get("a")).isEqualTo(rows(25));
        assertThat(sink.committed().get("b")).isEmpty();
        assertThat(report.stream("a").recordsRead()).isEqualTo(25);
        assertThat(report.stream("a").recordsWritten()).isEqualTo(25);
        assertThat(report.stream("a").recordsDropped()).isZero();
        assertThat(report.stream("a").bytesWritten()).isEqualTo(250);
        assertThat(report.streams()).extracting(StreamReport::stream).containsExactly("a", "b");
    }

    @Test
    void run_transformerRefusesAStream_failsBeforeAnythingIsReadOrWritten() {
        ListSource source = new ListSource(10).stream("a", SCHEMA, rows(3))
                .stream("b", SCHEMA, rows(3));
        CollectingSink sink = new CollectingSink();
        MaskingTransformer onlyA = MaskingTransformer.builder()
                .stream("a", r -> r.keep("id", "name")).build();

        assertThatThrownBy(() -> Pipeline.from(source).through(onlyA).to(sink).build().run())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stream 'b' has no masking rules");
        assertThat(source.opened()).isEmpty();
        assertThat(sink.committed()).isEmpty();
        assertThat(sink.aborted()).isEmpty();
    }

    @Test
    void run_sinkPreparesWhileTheSourceIsDiscovered() {
        CountDownLatch prepared = new CountDownLatch(1);
        ListSource rows = new ListSource(10).stream("a", SCHEMA, rows(3));
        CollectingSink collecting = new CollectingSink();

        Pipeline.from(discoveringAfter(prepared, rows)).to(preparing(prepared, collecting))
                .build().run();

        assertThat(collecting.committed().get("a")).isEqualTo(rows(3));
    }

    @Test
    void run_sourceAndSinkBothFailToStart_throwsTheSourcesFailureWithTheSinksAttached() {
        Source failing = new Source() {
            @Override
            public List<StreamDescriptor> discover() {
                throw new SourceException("database 'ehr' cannot be reached");
            }

            @Override
            public StreamReader open(StreamDescriptor stream) {
                throw new AssertionError("nothing is opened");
            }
        };
        CollectingSink sink = new CollectingSink()
                .failPrepare(new ConfigurationException("bucket 'x' does not exist"));

        assertThatThrownBy(() -> Pipeline.from(failing).to(sink).build().run())
                .isInstanceOf(SourceException.class)
                .hasMessage("database 'ehr' cannot be reached")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .extracting(Throwable::getMessage)
                        .isEqualTo("bucket 'x' does not exist"));
    }

    /** A source whose discovery waits for the sink to have prepared, failing after 10 s. */
    private static Source discoveringAfter(CountDownLatch prepared, Source source) {
        return new Source() {
            @Override
            public List<StreamDescriptor> discover() {
                try {
                    assertThat(prepared.await(10, TimeUnit.SECONDS)).as("sink prepared").isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return source.discover();
            }

            @Override
            public StreamReader open(StreamDescriptor stream) {
                return source.open(stream);
            }
        };
    }

    private static Sink preparing(CountDownLatch prepared, Sink sink) {
        return new Sink() {
            @Override
            public void prepare() {
                sink.prepare();
                prepared.countDown();
            }

            @Override
            public StreamWriter open(StreamContext context, Schema schema) {
                return sink.open(context, schema);
            }
        };
    }

    @Test
    void run_sinkCannotPrepare_readsNothing() {
        ListSource source = new ListSource(10).stream("a", SCHEMA, rows(3));
        CollectingSink sink = new CollectingSink()
                .failPrepare(new ConfigurationException("bucket 'x' does not exist"));

        assertThatThrownBy(() -> Pipeline.from(source).to(sink).build().run())
                .hasMessage("bucket 'x' does not exist");
        assertThat(source.opened()).isEmpty();
    }

    @Test
    void run_sourceFailsMidStream_abortsThatStreamAndKeepsEarlierOnes() {
        ListSource source = new ListSource(5).stream("a", SCHEMA, rows(5))
                .stream("b", SCHEMA, rows(20))
                .failAfterFirstBatch("b", () -> new SourceException("stream 'b', row 6: boom"));
        CollectingSink sink = new CollectingSink();

        assertThatThrownBy(() -> Pipeline.from(source).to(sink).build().run())
                .isInstanceOf(SourceException.class).hasMessage("stream 'b', row 6: boom");
        assertThat(sink.committed()).containsOnlyKeys("a");
        assertThat(sink.aborted()).containsExactly("b");
    }

    @Test
    void run_readerThrowsAForeignException_itsMessageIsNotPassedOn() {
        ListSource source = new ListSource(5).stream("a", SCHEMA, rows(10))
                .failAfterFirstBatch("a", () -> new IllegalStateException("999-12-3456"));

        assertThatThrownBy(() -> Pipeline.from(source).to(new CollectingSink()).build().run())
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("stream 'a'")
                .hasMessageNotContaining("999-12-3456")
                .hasNoCause();
    }

    @Test
    void run_transformerDropsRecords_reportCountsThem() {
        ListSource source = new ListSource(4).stream("a", SCHEMA, rows(10));
        Transformer evenOnly = input -> new StreamTransform() {
            @Override
            public Schema outputSchema() {
                return input.schema();
            }

            @Override
            public RowBatch apply(RowBatch batch) {
                List<Row> kept = new ArrayList<>();
                batch.rows().stream().filter(r -> (Long) r.get(0) % 2 == 0).forEach(kept::add);
                return RowBatch.of(batch.schema(), kept, batch.firstPosition());
            }
        };

        RunReport report = Pipeline.from(source).through(evenOnly).to(new CollectingSink())
                .build().run();

        assertThat(report.stream("a").recordsRead()).isEqualTo(10);
        assertThat(report.stream("a").recordsWritten()).isEqualTo(5);
        assertThat(report.stream("a").recordsDropped()).isEqualTo(5);
    }

    /** A transformation that records the thread and first position of each batch it sees. */
    private static Transformer recording(List<String> threads, List<Long> positions,
            long failAt) {
        return input -> new StreamTransform() {
            @Override
            public Schema outputSchema() {
                return input.schema();
            }

            @Override
            public RowBatch apply(RowBatch batch) {
                threads.add(Thread.currentThread().getName());
                positions.add(batch.firstPosition());
                if (batch.firstPosition() == failAt) {
                    throw new SchemaViolationException("stream 'a', field 'name', row "
                            + failAt + ": not a name");
                }
                return batch;
            }
        };
    }

    @Test
    void run_transformOnItsOwnThread_seesEveryBatchInOrderFromOneThread() {
        ListSource source = new ListSource(3).stream("a", SCHEMA, rows(30));
        List<String> threads = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        CollectingSink sink = new CollectingSink();

        Pipeline.from(source).through(recording(threads, positions, -1)).to(sink).build().run();

        assertThat(positions).containsExactly(1L, 4L, 7L, 10L, 13L, 16L, 19L, 22L, 25L, 28L);
        assertThat(threads).containsOnly("phi-courier-transform-a-0");
        assertThat(sink.committed().get("a")).isEqualTo(rows(30));
    }

    @Test
    void run_transformFails_itsExceptionReachesTheCallerAsThrown() {
        ListSource source = new ListSource(3).stream("a", SCHEMA, rows(30));
        CollectingSink sink = new CollectingSink();
        Transformer failing = recording(new ArrayList<>(), new ArrayList<>(), 7);

        assertThatThrownBy(() -> Pipeline.from(source).through(failing).to(sink).build().run())
                .isInstanceOf(SchemaViolationException.class)
                .hasMessage("stream 'a', field 'name', row 7: not a name");
        assertThat(sink.aborted()).containsExactly("a");
    }

    @Test
    void run_reportJson_holdsCountsAndNoValue() {
        ListSource source = new ListSource(10).stream("a", SCHEMA, rows(3));

        String json = Pipeline.from(source).to(new CollectingSink()).build().run().toJson();

        assertThat(json).contains("\"stream\":\"a\"", "\"recordsWritten\":3")
                .doesNotContain("name-1");
    }

    @Test
    void build_withoutSink_isRefused() {
        assertThatThrownBy(() -> Pipeline.from(new ListSource(1)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs a sink");
    }
}
