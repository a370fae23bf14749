package org.phicourier.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

class MaskingTransformerTest {
    private static final Schema PATIENTS = Schema.of(
            Field.of("Id", FieldType.STRING),
            Field.of("SSN", FieldType.STRING),
            Field.of("FIRST", FieldType.STRING),
            Field.of("BIRTHDATE", FieldType.DATE),
            Field.of("GENDER", FieldType.STRING));
    private static final StreamDescriptor STREAM = StreamDescriptor.of("patients", PATIENTS);
    private static final PseudonymKey KEY = PseudonymKey.of("test", bytes(1));

    private static byte[] bytes(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    private static MaskingTransformer.Builder allRules() {
        return MaskingTransformer.builder().pseudonymKey(KEY).stream("patients", r -> r
                .pseudonymize("Id", "SSN").redact("FIRST").drop("BIRTHDATE").keep("GENDER"));
    }

    private static Row patient(String ssn) {
        return Row.of(PATIENTS, "p-1", ssn, "Ada", LocalDate.of(1950, 1, 2), "F");
    }

    private static Row maskOne(StreamTransform transform, Row row) {
        return transform.apply(RowBatch.of(PATIENTS, List.of(row), 1)).rows().get(0);
    }

    @Test
    void bind_fieldWithoutRule_failsClosedNamingStreamAndField() {
        MaskingTransformer masking = MaskingTransformer.builder().pseudonymKey(KEY)
                .stream("patients", r -> r.pseudonymize("Id", "SSN").keep("GENDER")
                        .drop("BIRTHDATE"))
                .build();

        assertThatThrownBy(() -> masking.bind(STREAM))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stream 'patients', field 'FIRST' has no masking rule");
    }

    @Test
    void bind_streamWithoutRules_failsClosed() {
        assertThatThrownBy(() -> allRules().build().bind(StreamDescriptor.of("encounters",
                PATIENTS)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stream 'encounters' has no masking rules");
    }

    @Test
    void bind_ruleThatMatchesNoField_isRefusedAsLikelyTypo() {
        MaskingTransformer masking = allRules().stream("other", r -> r.keep("x", "y")).build();
        StreamDescriptor other = StreamDescriptor.of("other",
                Schema.of(Field.of("y", FieldType.STRING)));

        assertThatThrownBy(() -> masking.bind(other))
                .hasMessageContaining("the masking rule for 'x' matches no field");
    }

    @Test
    void bind_rulesMatchFieldNamesIgnoringCase() {
        MaskingTransformer masking = MaskingTransformer.builder().pseudonymKey(KEY)
                .stream("patients", r -> r.pseudonymize("id", "ssn").redact("first")
                        .drop("birthdate").keep("gender"))
                .build();

        assertThat(masking.bind(STREAM).outputSchema().names())
                .containsExactly("Id", "SSN", "FIRST", "GENDER");
    }

    @Test
    void apply_eachActionShapesItsField() {
        StreamTransform transform = allRules().build().bind(STREAM);

        Row masked = maskOne(transform, patient("999-12-3456"));

        assertThat(transform.outputSchema().names()).containsExactly("Id", "SSN", "FIRST",
                "GENDER");
        assertThat((String) masked.get(1)).matches("[0-9a-f]{32}");
        assertThat(masked.get(2)).isEqualTo("[REDACTED]");
        assertThat(masked.get(3)).isEqualTo("F");
    }

    @Test
    void apply_sameValueAndKey_givesSamePseudonymInEveryStream() {
        MaskingTransformer masking = allRules().build();
        Row first = maskOne(masking.bind(STREAM), patient("999-12-3456"));
        Row again = maskOne(masking.bind(STREAM), patient(" 999-12-3456 "));

        assertThat(again.get(1)).isEqualTo(first.get(1));
    }

    @Test
    void apply_otherKey_givesOtherPseudonym() {
        Row withKey = maskOne(allRules().build().bind(STREAM), patient("999-12-3456"));
        MaskingTransformer otherKey = allRules().pseudonymKey(PseudonymKey.of("other", bytes(2)))
                .build();

        assertThat(maskOne(otherKey.bind(STREAM), patient("999-12-3456")).get(1))
                .isNotEqualTo(withKey.get(1));
    }

    @Test
    void apply_nullStaysNull() {
        Row masked = maskOne(allRules().build().bind(STREAM), patient(null));

        assertThat(masked.get(1)).isNull();
    }

    @Test
    void counters_countValuesPerAction() {
        StreamTransform transform = allRules().build().bind(STREAM);
        transform.apply(RowBatch.of(PATIENTS, List.of(patient("1"), patient("2")), 1));

        assertThat(transform.counters()).containsEntry("masking.pseudonymize", 4L)
                .containsEntry("masking.redact", 2L).containsEntry("masking.drop", 2L)
                .containsEntry("masking.keep", 2L);
    }

    @Test
    void build_pseudonymizeWithoutKey_isRefused() {
        assertThatThrownBy(() -> MaskingTransformer.builder()
                .stream("patients", r -> r.pseudonymize("Id")).build())
                .hasMessageContaining("no pseudonym key");
    }

    @Test
    void fromJson_readsRulesAndKeyFileRelativeToConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pseudonym.key"),
                Base64.getEncoder().encodeToString(bytes(1)) + "\n");
        Files.writeString(dir.resolve("masking.json"), "{\"pseudonymKey\": {\"id\": \"test\","
                + " \"file\": \"pseudonym.key\"}, \"streams\": {\"patients\": {\"Id\":"
                + " \"pseudonymize\", \"SSN\": \"PSEUDONYMIZE\", \"FIRST\": \"redact\","
                + " \"BIRTHDATE\": \"drop\", \"GENDER\": \"keep\"}}}", StandardCharsets.UTF_8);

        StreamTransform fromFile = MaskingTransformer.fromJson(dir.resolve("masking.json"))
                .bind(STREAM);
        StreamTransform fromCode = allRules().build().bind(STREAM);

        assertThat(maskOne(fromFile, patient("999-12-3456")))
                .isEqualTo(maskOne(fromCode, patient("999-12-3456")));
    }

    @Test
    void fromJson_unknownAction_namesStreamFieldAndAction(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("masking.json"),
                "{\"streams\": {\"patients\": {\"SSN\": \"hash\"}}}");

        assertThatThrownBy(() -> MaskingTransformer.fromJson(dir.resolve("masking.json")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown masking action 'hash'");
    }

    @Test
    void pseudonymKey_toStringShowsIdOnly() {
        assertThat(KEY.toString()).isEqualTo("PseudonymKey[test]");
    }
}
