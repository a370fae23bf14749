package org.phicourier.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.ObjectSeries;
import org.phicourier.spi.StreamContext;

class KeyTemplateTest {
    private static final Instant START = Instant.parse("2026-12-04T10:11:12Z");
    private static final Schema SCHEMA = Schema.of(Field.of("state", FieldType.STRING),
            Field.of("admitted", FieldType.DATE), Field.of("seen", FieldType.TIMESTAMP_TZ),
            Field.of("photo", FieldType.BINARY));
    private static final Row ROW = Row.of(SCHEMA, "NY", LocalDate.of(2026, 1, 2),
            OffsetDateTime.of(2026, 1, 2, 23, 30, 0, 0, ZoneOffset.ofHours(-5)), null);

    private static StreamContext runs() {
        return StreamContext.of("20261204T101112Z-0a1b2c3d", "patients", START);
    }

    private static StreamContext series() {
        return StreamContext.resumable("20261204T101112Z-0a1b2c3d", "patients", START,
                new ObjectSeries(3, 7, Instant.parse("2026-11-30T01:02:03Z"), 1));
    }

    @Test
    void object_defaultWithoutState_isTodaysName() {
        ObjectNames names = new ObjectNames("exports/", Optional.empty());

        assertThat(names.object(runs(), 1, ROW, ".jsonl.gz"))
                .isEqualTo("exports/patients/20261204T101112Z-0a1b2c3d-00001.jsonl.gz");
    }

    @Test
    void object_defaultWithState_isTodaysName() {
        ObjectNames names = new ObjectNames("exports/", Optional.empty());

        assertThat(names.object(series(), 12, ROW, ".jsonl.gz"))
                .isEqualTo("exports/patients/g000007-20261130T010203Z/00000012.jsonl.gz");
    }

    @Test
    void sequence_defaultSeriesKey_isReadBack() {
        ObjectNames names = new ObjectNames("exports/", Optional.empty());

        assertThat(names.sequence("exports/patients/g000007-20261130T010203Z/00000012.jsonl.gz"))
                .contains(12L);
    }

    @Test
    void isObject_csvZstdKeyOfCustomTemplate_isTrue() {
        KeyTemplate template = KeyTemplate.parse("{stream}/{run:yyyy/MM}/{runId}-{sequence}");
        ObjectNames names = new ObjectNames("x/", Optional.of(template));

        String key = names.object(runs(), 3, ROW, ".csv.zst");

        assertThat(key).isEqualTo("x/patients/2026/12/20261204T101112Z-0a1b2c3d-00003.csv.zst");
        assertThat(names.isObject(key)).isTrue();
    }

    @Test
    void render_hivePartitions_keepEqualsSignsAndUseUtcDates() {
        KeyTemplate template = KeyTemplate.parse("{stream}/state={value:state}"
                + "/dt={date:admitted:yyyy-MM-dd}/seen={date:seen:yyyyMMdd}/{runId}-{sequence}");

        assertThat(template.render(runs(), 1, 5, ROW, ".csv"))
                .isEqualTo("patients/state=NY/dt=2026-01-02/seen=20260103/"
                        + "20261204T101112Z-0a1b2c3d-00001.csv");
    }

    @Test
    void render_valueWithSlashSpaceAndAstral_isPercentEscaped() {
        Row row = Row.of(SCHEMA, "a/b c\uD83D\uDE00", null, null, null);

        assertThat(KeyTemplate.parse("{stream}/s={value:state}/{runId}-{sequence}")
                .render(runs(), 1, 5, row, ""))
                .startsWith("patients/s=a%2Fb%20c%F0%9F%98%80/");
    }

    @Test
    void render_nullValue_isHiveDefaultPartition() {
        Row row = Row.of(SCHEMA, null, null, null, null);

        assertThat(KeyTemplate.parse("{stream}/s={value:state}/d={date:admitted:yyyy}"
                + "/{runId}-{sequence}").render(runs(), 1, 5, row, ""))
                .startsWith("patients/s=__HIVE_DEFAULT_PARTITION__/d=__HIVE_DEFAULT_PARTITION__/");
    }

    @Test
    void partition_rowsOfOneState_areEqual() {
        KeyTemplate template =
                KeyTemplate.parse("{stream}/state={value:state}/{runId}-{sequence}");
        Row other = Row.of(SCHEMA, "NY", null, null, null);

        assertThat(template.partition(other)).isEqualTo(template.partition(ROW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{stream}/{runId}", "{stream}/{sequence}", "{runId}-{sequence}",
            "{stream}/{runId}-{sequence}/a b", "{stream}/{runId}-{sequence}?",
            "/{stream}/{runId}-{sequence}", "{stream}//{runId}-{sequence}",
            "{stream}/../{runId}-{sequence}", "{stream}/{nope}/{runId}-{sequence}",
            "{stream}/{runId}-{sequence", "{stream}/{run:yyyy MM}/{runId}-{sequence}",
            "{stream}/{run:qqqqqqq}/{runId}-{sequence}", "{stream}/{value:}/{runId}-{sequence}",
            "{stream}/{date:x}/{runId}-{sequence}", "{stream}/{runId:x}-{sequence}"})
    void parse_invalidTemplate_isRejected(String template) {
        assertThatThrownBy(() -> KeyTemplate.parse(template))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void check_fieldTheSchemaLacks_isNamed() {
        KeyTemplate template = KeyTemplate.parse("{stream}/{value:zip}/{runId}-{sequence}");

        assertThat(template.check(SCHEMA)).singleElement().asString().contains("'zip'");
    }

    @Test
    void check_binaryPartition_isRefused() {
        KeyTemplate template = KeyTemplate.parse("{stream}/{value:photo}/{runId}-{sequence}");

        assertThat(template.check(SCHEMA)).singleElement().asString().contains("BINARY");
    }

    @Test
    void check_timeOfDayPatternOnDateField_isRefused() {
        KeyTemplate template = KeyTemplate.parse(
                "{stream}/{date:admitted:yyyyMMddHH}/{runId}-{sequence}");

        assertThat(template.check(SCHEMA)).singleElement().asString().contains("date parts");
    }

    @Test
    void check_zonePatternOnTimestampWithoutZone_isRefused() {
        Schema local = Schema.of(Field.of("at", FieldType.TIMESTAMP));
        KeyTemplate template = KeyTemplate.parse(
                "{stream}/{date:at:yyyyMMddXX}/{runId}-{sequence}");

        assertThat(template.check(local)).singleElement().asString().contains("zone");
    }
}
