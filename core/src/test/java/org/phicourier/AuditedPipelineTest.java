package org.phicourier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.audit.AuditEvent;
import org.phicourier.audit.AuditVerifier;
import org.phicourier.audit.FileAuditSink;
import org.phicourier.deid.QuarantinedRecord;
import org.phicourier.masking.MaskingTransformer;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.schema.FieldRule;
import org.phicourier.schema.SchemaCheck;
import org.phicourier.schema.ViolationPolicy;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.Transformer;
import org.phicourier.testdoubles.CollectingSink;
import org.phicourier.testdoubles.ListSource;

class AuditedPipelineTest {
    private static final Schema SCHEMA = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("name", FieldType.STRING));

    @TempDir
    Path dir;

    private static List<Row> rows(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> Row.of(SCHEMA, (long) i, "Secretname" + i)).toList();
    }

    private List<AuditEvent> events(FileAuditSink sink) {
        return sink.entries().stream().map(e -> AuditEvent.fromJson(e.json())).toList();
    }

    @Test
    void run_withAudit_recordsEveryActInAChainThatVerifies() {
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        ListSource source = new ListSource(5).stream("a", SCHEMA, rows(12));

        RunReport report = Pipeline.from(source).to(new CollectingSink()).audit(audit)
                .actor("nightly-etl").build().run();

        assertThat(audit.verify().valid()).isTrue();
        assertThat(events(audit)).extracting(AuditEvent::type).containsExactly(
                AuditEvent.Type.RUN_STARTED, AuditEvent.Type.OBJECT_COMMITTED,
                AuditEvent.Type.SOURCE_READ, AuditEvent.Type.RUN_FINISHED);
        assertThat(events(audit)).allSatisfy(e -> {
            assertThat(e.runId()).isEqualTo(report.runId());
            assertThat(e.actor()).isEqualTo("nightly-etl");
        });
        assertThat(events(audit).get(2).detail("records")).isEqualTo("12");
    }

    @Test
    void run_twoRuns_continueOneChain() {
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        Pipeline pipeline = Pipeline.from(new ListSource(5).stream("a", SCHEMA, rows(3)))
                .to(new CollectingSink()).audit(audit).actor("etl").build();

        pipeline.run();
        pipeline.run();

        assertThat(AuditVerifier.verify(audit.entries()).eventsChecked()).isEqualTo(8);
    }

    @Test
    void run_withTransformer_recordsTheTransformationWithoutValues() {
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        MaskingTransformer masking = MaskingTransformer.builder()
                .stream("a", r -> r.keep("id").drop("name")).build();

        Pipeline.from(new ListSource(5).stream("a", SCHEMA, rows(4))).through(masking)
                .to(new CollectingSink()).audit(audit).actor("etl").build().run();

        assertThat(events(audit)).filteredOn(e -> e.type()
                == AuditEvent.Type.TRANSFORMATION_APPLIED).singleElement()
                .satisfies(e -> {
                    assertThat(e.detail("transformer")).isEqualTo("masking");
                    assertThat(e.detail("policyHash")).isEqualTo(masking.policy().hash())
                            .hasSize(64);
                });
        assertThat(audit.entries()).allSatisfy(e -> assertThat(e.json())
                .doesNotContain("Secretname"));
    }

    @Test
    void run_schemaViolationQuarantined_recordsRuleFieldAndPositionWithoutTheValue() {
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        List<QuarantinedRecord> withheld = new ArrayList<>();
        SchemaCheck check = SchemaCheck.builder().onViolation(ViolationPolicy.QUARANTINE)
                .quarantine(withheld::add)
                .rule(FieldRule.builder("name").pattern("Secretname[0-8]").build()).build();

        Pipeline.from(new ListSource(5).stream("a", SCHEMA, rows(12))).through(check)
                .to(new CollectingSink()).audit(audit).actor("etl").build().run();

        assertThat(events(audit)).filteredOn(e -> e.type()
                == AuditEvent.Type.RECORD_QUARANTINED && e.details().containsKey("position"))
                .extracting(e -> e.detail("rule"), e -> e.detail("field"),
                        e -> e.detail("position"))
                .containsExactly(tuple("name.pattern", "name", "9"),
                        tuple("name.pattern", "name", "10"), tuple("name.pattern", "name", "11"),
                        tuple("name.pattern", "name", "12"));
        assertThat(withheld).hasSize(4);
        assertThat(audit.entries()).allSatisfy(e -> assertThat(e.json())
                .doesNotContain("Secretname"));
    }

    @Test
    void policy_maskingRulesThatDiffer_haveDifferentHashes() {
        MaskingTransformer dropName = MaskingTransformer.builder()
                .stream("a", r -> r.keep("id").drop("name")).build();
        MaskingTransformer redactName = MaskingTransformer.builder()
                .stream("a", r -> r.keep("id").redact("name")).build();

        assertThat(dropName.policy().hash()).isNotEqualTo(redactName.policy().hash());
        assertThat(dropName.policy()).isEqualTo(MaskingTransformer.builder()
                .stream("a", r -> r.drop("name").keep("id")).build().policy());
    }

    @Test
    void run_preflightFails_recordsTheFindingAndTheFailedRun() {
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        MaskingTransformer onlyB = MaskingTransformer.builder()
                .stream("b", r -> r.keep("id")).build();
        Pipeline pipeline = Pipeline.from(new ListSource(5).stream("a", SCHEMA, rows(2)))
                .through(onlyB).to(new CollectingSink()).audit(audit).actor("etl").build();

        assertThatThrownBy(pipeline::run).isInstanceOf(ConfigurationException.class);

        assertThat(events(audit)).extracting(AuditEvent::type).containsExactly(
                AuditEvent.Type.RUN_STARTED, AuditEvent.Type.PREFLIGHT_FINDING,
                AuditEvent.Type.RUN_FINISHED);
        assertThat(events(audit).get(2).detail("outcome")).isEqualTo("FAILED");
        assertThat(audit.verify().valid()).isTrue();
    }

    @Test
    void run_transformerQuarantinedRecords_recordsStreamRuleAndCount() {
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));
        Transformer quarantining = input -> new StreamTransform() {
            @Override
            public Schema outputSchema() {
                return input.schema();
            }

            @Override
            public RowBatch apply(RowBatch batch) {
                return batch;
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of("test.records.quarantined", 2L);
            }
        };

        Pipeline.from(new ListSource(5).stream("a", SCHEMA, rows(4))).through(quarantining)
                .to(new CollectingSink()).audit(audit).actor("etl").build().run();

        assertThat(events(audit)).filteredOn(e -> e.type()
                == AuditEvent.Type.RECORD_QUARANTINED).singleElement().satisfies(e -> {
                    assertThat(e.detail("stream")).isEqualTo("a");
                    assertThat(e.detail("rule")).isEqualTo("test.records.quarantined");
                    assertThat(e.detail("records")).isEqualTo("2");
                });
    }

    @Test
    void build_auditWithoutActor_failsNamingActor() {
        FileAuditSink audit = FileAuditSink.of(dir.resolve("audit.jsonl"));

        assertThatThrownBy(() -> Pipeline.from(new ListSource(5)).to(new CollectingSink())
                .audit(audit).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("actor");
    }
}
