package org.phicourier.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.ConfigurationException;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.deid.QuarantinedRecord;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.Transformer;
import org.phicourier.state.FileStateStore;
import org.phicourier.testdoubles.CursorListSource;
import org.phicourier.testdoubles.MemorySink;

class SchemaDriftTest {
    private static final Schema SCHEMA = CursorListSource.schema(FieldType.INT64);

    @TempDir
    Path dir;

    @Test
    void changes_eachKind_isClassified() {
        Schema before = Schema.of(Field.of("a", FieldType.INT32), Field.of("b", FieldType.INT64),
                Field.of("c", FieldType.STRING), Field.builder("d", FieldType.DATE)
                        .nullable(false).build(), Field.of("gone", FieldType.BOOLEAN));
        Schema now = Schema.of(Field.of("a", FieldType.INT64), Field.of("b", FieldType.INT32),
                Field.of("c", FieldType.STRING), Field.of("d", FieldType.DATE),
                Field.of("new", FieldType.JSON));

        assertThat(SchemaDrift.changes(before, now)).extracting(SchemaChange::kind,
                SchemaChange::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DriftKind.TYPE_WIDENED, "a"),
                org.assertj.core.groups.Tuple.tuple(DriftKind.TYPE_NARROWED, "b"),
                org.assertj.core.groups.Tuple.tuple(DriftKind.NULLABILITY_CHANGED, "d"),
                org.assertj.core.groups.Tuple.tuple(DriftKind.FIELD_ADDED, "new"),
                org.assertj.core.groups.Tuple.tuple(DriftKind.FIELD_REMOVED, "gone"));
    }

    @Test
    void changes_decimalWithFewerDigits_isNarrowed() {
        Schema before = Schema.of(Field.builder("n", FieldType.DECIMAL).precision(12).scale(2)
                .build());
        Schema now = Schema.of(Field.builder("n", FieldType.DECIMAL).precision(10).scale(2)
                .build());

        assertThat(SchemaDrift.changes(before, now)).singleElement()
                .extracting(SchemaChange::kind).isEqualTo(DriftKind.TYPE_NARROWED);
    }

    @Test
    void build_driftWithoutState_failsNamingState() {
        assertThatThrownBy(() -> Pipeline.from(new CursorListSource("p", SCHEMA,
                ReplicationMode.INCREMENTAL, 4)).to(new MemorySink(10))
                .schemaDrift(SchemaDrift.builder().build()).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("state");
    }

    @Test
    void run_fieldAddedUnderQuarantine_withholdsEveryRecordWithTheDriftAsReason() {
        List<QuarantinedRecord> held = new ArrayList<>();
        SchemaDrift drift = SchemaDrift.builder().onDrift(DriftPolicy.QUARANTINE)
                .quarantine(held::add).build();
        CursorListSource source = new CursorListSource("patients", SCHEMA,
                ReplicationMode.INCREMENTAL, 4).add(rows(1, 5));
        MemorySink sink = new MemorySink(100);
        run(Pipeline.from(source), sink, drift);
        source.add(rows(6, 8));

        RunReport second = run(Pipeline.from(source).through(new AddsField()), sink, drift);

        assertThat(second.recordsWritten()).isZero();
        assertThat(second.stream("patients").counters())
                .containsEntry("schema.drift.recordsQuarantined", 3L);
        assertThat(held).extracting(QuarantinedRecord::position).containsExactly(1L, 2L, 3L);
        assertThat(held.get(0).reason()).isEqualTo(
                "schema drift: [field 'flag' added (BOOLEAN)]");
    }

    private RunReport run(Pipeline.Builder pipeline, MemorySink sink, SchemaDrift drift) {
        return pipeline.to(sink).state(FileStateStore.of(dir.resolve("state.json")),
                LocalAesKeyring.of(new byte[32])).schemaDrift(drift).build().run();
    }

    private static List<Row> rows(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> Row.of(SCHEMA, i, "n" + i))
                .toList();
    }

    /** Adds a boolean field, as a source would after a column was added. */
    private static final class AddsField implements Transformer {
        @Override
        public StreamTransform bind(org.phicourier.spi.StreamDescriptor input) {
            List<Field> fields = new ArrayList<>(input.schema().fields());
            fields.add(Field.of("flag", FieldType.BOOLEAN));
            Schema output = Schema.of(fields);
            return new StreamTransform() {
                @Override
                public Schema outputSchema() {
                    return output;
                }

                @Override
                public RowBatch apply(RowBatch batch) {
                    return RowBatch.of(output, batch.rows().stream().map(r -> Row.of(output,
                            r.get(0), r.get(1), true)).toList(), batch.firstPosition());
                }
            };
        }
    }
}
