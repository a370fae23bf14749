package org.phicourier.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.SchemaViolationException;
import org.phicourier.deid.Quarantine;
import org.phicourier.deid.QuarantinedRecord;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

class SchemaCheckTest {
    private static final Schema SCHEMA = Schema.of(Field.of("ssn", FieldType.STRING),
            Field.of("age", FieldType.INT32), Field.of("state", FieldType.STRING));
    private static final FieldRule SSN = FieldRule.builder("ssn").required()
            .pattern("\\d{3}-\\d{2}-\\d{4}").build();
    private static final FieldRule AGE = FieldRule.builder("age")
            .range(BigDecimal.ZERO, BigDecimal.valueOf(130)).build();

    private final List<QuarantinedRecord> quarantined = new ArrayList<>();
    private final Quarantine quarantine = quarantined::add;

    private static RowBatch batch() {
        return RowBatch.of(SCHEMA, List.of(Row.of(SCHEMA, "999-12-3456", 40, "MA"),
                Row.of(SCHEMA, "999123456", 41, "MA"), Row.of(SCHEMA, "999-12-3457", 200, "XX")),
                11);
    }

    private StreamTransform bind(SchemaCheck.Builder check) {
        return check.build().bind(StreamDescriptor.of("patients", SCHEMA));
    }

    @Test
    void apply_violationUnderStop_namesStreamFieldRowAndRuleNotTheValue() {
        StreamTransform t = bind(SchemaCheck.builder().rule(SSN));

        assertThatThrownBy(() -> t.apply(batch())).isInstanceOf(SchemaViolationException.class)
                .hasMessage("stream 'patients', field 'ssn', row 12: rule 'ssn.pattern' violated");
    }

    @Test
    void apply_violationUnderQuarantine_withholdsOnlyThatRecordWithAValueFreeReason() {
        StreamTransform t = bind(SchemaCheck.builder().rule(SSN).rule(AGE)
                .onViolation(ViolationPolicy.QUARANTINE).quarantine(quarantine));

        RowBatch out = t.apply(batch());

        assertThat(out.rows()).extracting(r -> r.get(1)).containsExactly(40);
        assertThat(quarantined).extracting(QuarantinedRecord::position,
                QuarantinedRecord::field, QuarantinedRecord::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(12L, "ssn", "rule 'ssn.pattern' violated"),
                org.assertj.core.groups.Tuple.tuple(13L, "age", "rule 'age.range' violated"));
        assertThat(t.counters()).containsEntry("schema.violations.ssn.pattern", 1L)
                .containsEntry("schema.violations.age.range", 1L)
                .containsEntry("schema.records.quarantined", 2L);
    }

    @Test
    void apply_violationUnderNull_nullsTheValueAndNotesTheRuleInRowMetadata() throws Exception {
        StreamTransform t = bind(SchemaCheck.builder().rule(FieldRule.builder("state")
                .oneOf("MA", "NY").onViolation(ViolationPolicy.NULL).build()));

        RowBatch out = t.apply(batch());

        assertThat(out.schema().names()).containsExactly("ssn", "age", "state",
                SchemaCheck.NULLED_FIELD);
        assertThat(out.rows().get(2).get(2)).isNull();
        assertThat(out.rows().get(2).get(3)).isEqualTo(
                new ObjectMapper().readTree("[\"state.enumeration\"]"));
        assertThat(out.rows().get(0).get(3)).isNull();
        assertThat(t.counters()).containsEntry("schema.values.nulled", 1L);
    }

    @Test
    void apply_violationUnderPass_deliversEverythingAndCounts() {
        StreamTransform t = bind(SchemaCheck.builder().rule(AGE)
                .onViolation(ViolationPolicy.PASS));

        assertThat(t.apply(batch()).size()).isEqualTo(3);
        assertThat(t.counters()).containsEntry("schema.violations.age.range", 1L);
    }

    @Test
    void apply_declaredTypeOnText_checksThatTheTextParses() {
        StreamTransform t = bind(SchemaCheck.builder().onViolation(ViolationPolicy.PASS)
                .rule(FieldRule.builder("ssn").type(FieldType.INT64).build()));

        t.apply(batch());

        assertThat(t.counters()).containsEntry("schema.violations.ssn.type", 2L);
    }

    @Test
    void bind_scopedRuleForMissingField_failsBeforeAnyRecord() {
        SchemaCheck check = SchemaCheck.builder().rule(FieldRule.builder("mrn").stream("patients")
                .required().build()).build();

        assertThatThrownBy(() -> check.bind(StreamDescriptor.of("patients", SCHEMA)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'mrn'");
    }

    @Test
    void bind_patternOnNumber_failsNamingTheField() {
        SchemaCheck check = SchemaCheck.builder().rule(FieldRule.builder("age").pattern("\\d+")
                .build()).build();

        assertThatThrownBy(() -> check.bind(StreamDescriptor.of("patients", SCHEMA)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("field 'age': a pattern applies to STRING");
    }

    @Test
    void build_quarantinePolicyWithoutQuarantine_fails() {
        assertThatThrownBy(() -> SchemaCheck.builder().rule(SSN)
                .onViolation(ViolationPolicy.QUARANTINE).build())
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void apply_resourceTypeRule_quarantinesOtherResources() throws Exception {
        Schema fhir = Schema.of(Field.of("resource", FieldType.JSON));
        ObjectMapper json = new ObjectMapper();
        StreamTransform t = SchemaCheck.builder().onViolation(ViolationPolicy.QUARANTINE)
                .quarantine(quarantine).rule(FieldRule.builder("resource")
                        .resourceType("Patient").build()).build()
                .bind(StreamDescriptor.of("Patient", fhir));

        RowBatch out = t.apply(RowBatch.of(fhir, List.of(
                Row.of(fhir, json.readTree("{\"resourceType\":\"Patient\"}")),
                Row.of(fhir, json.readTree("{\"resourceType\":\"Observation\"}"))), 1));

        assertThat(out.size()).isEqualTo(1);
        assertThat(quarantined).singleElement().extracting(QuarantinedRecord::reason)
                .isEqualTo("rule 'resource.resourceType' violated");
    }
}
