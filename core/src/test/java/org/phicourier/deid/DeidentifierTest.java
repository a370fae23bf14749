package org.phicourier.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phicourier.ConfigurationException;
import org.phicourier.Pipeline;
import org.phicourier.SchemaViolationException;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.files.CsvFileSource;
import org.phicourier.files.FhirFileSource;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

class DeidentifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema ONE = Schema.of(Field.of("v", FieldType.STRING));

    private static Deidentifier.Builder safeHarbor() {
        return SafeHarborOverSharedDataTest.safeHarbor();
    }

    private static RowBatch batch(Schema schema, Object... values) {
        List<Row> rows = new ArrayList<>();
        for (Object value : values) {
            rows.add(Row.of(schema, value));
        }
        return RowBatch.of(schema, rows, 1);
    }

    @Test
    void run_fhirPatientsBornOver89YearsBefore_comeOutAs90Plus(@TempDir Path quarantine)
            throws IOException {
        CaptureSink sink = new CaptureSink();
        Pipeline.from(FhirFileSource.of(SharedPhi.fhirFolders().toArray(Path[]::new)))
                .through(SafeHarborOverSharedDataTest.safeHarbor(quarantine).build()).to(sink)
                .build().run();

        int old = 0;
        for (String line : sink.text("Patient").split("\n")) {
            String birth = JSON.readTree(line).path("resource").path("birthDate").asText("");
            assertThat(birth).matches("90\\+|(19[4-9][0-9]|20[0-2][0-9])|");
            old += birth.equals("90+") ? 1 : 0;
        }
        assertThat(old).isGreaterThan(0);
    }

    @ParameterizedTest
    @CsvSource({"1936-01-02, 90+", "1936-12-31, 90+", "1935-06-01, 90+", "1937-01-01, 1937",
        "1936, 90+", "1937, 1937", "2000-02-29, 2000"})
    void apply_birthDatesAtReference2026_topCodeWhateverRevealsNinety(String birth,
            String expected) {
        StreamTransform t = safeHarbor().build().bind(StreamDescriptor.of("patients",
                Schema.of(Field.of("BIRTHDATE", FieldType.STRING))));

        Row out = t.apply(batch(t.outputSchema().fields().isEmpty() ? ONE
                : Schema.of(Field.of("BIRTHDATE", FieldType.STRING)), birth)).rows().get(0);

        assertThat(out.get(0)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"89, 89", "90, 90+", "104, 90+"})
    void apply_ages_topCodeAtNinety(String age, String expected) {
        Schema schema = Schema.of(Field.of("AGE", FieldType.STRING));
        StreamTransform t = safeHarbor().build().bind(StreamDescriptor.of("x", schema));

        assertThat(t.apply(batch(schema, age)).rows().get(0).get(0)).isEqualTo(expected);
    }

    @Test
    void bind_unknownColumnAddedAfterFirstRun_isDroppedAndReported(@TempDir Path dir)
            throws IOException {
        Path patients = withExtraColumn(dir);
        Deidentifier first = safeHarbor().build();
        Pipeline.from(CsvFileSource.files(SharedPhi.csv().resolve("patients.csv")))
                .through(first).to(new CaptureSink()).build().run();
        Deidentifier second = safeHarbor().build();
        CaptureSink sink = new CaptureSink();

        Pipeline.from(CsvFileSource.files(patients)).through(second).to(sink).build().run();

        assertThat(first.report().stream("patients").unknownFields()).isEmpty();
        assertThat(second.report().stream("patients").unknownFields())
                .containsEntry("LOYALTY_TIER", 27L);
        assertThat(sink.text("patients")).doesNotContain("LOYALTY_TIER").doesNotContain("gold");
    }

    @Test
    void bind_unknownColumnUnderStrictPolicy_stopsTheRunBeforeReading(@TempDir Path dir)
            throws IOException {
        Path patients = withExtraColumn(dir);
        CaptureSink sink = new CaptureSink();
        Deidentifier strict = safeHarbor().unknownFields(UnknownFieldPolicy.FAIL).build();

        assertThatThrownBy(() -> Pipeline.from(CsvFileSource.files(patients)).through(strict)
                .to(sink).build().run()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stream 'patients'").hasMessageContaining("LOYALTY_TIER");
        assertThat(sink.bytes).isEmpty();
    }

    private static Path withExtraColumn(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(SharedPhi.csv().resolve("patients.csv"));
        List<String> extended = new ArrayList<>();
        extended.add(lines.get(0) + ",LOYALTY_TIER");
        lines.subList(1, lines.size()).forEach(l -> extended.add(l + ",gold"));
        return Files.write(dir.resolve("patients.csv"), extended);
    }

    @ParameterizedTest
    @CsvSource({"ff1(ssn), 12345, an SSN needs exactly 9 digits", "zip3, 0215A, not a ZIP code",
        "year, 2019-13-45, malformed date", "bucket(10), abc, text in a number field",
        "ff1(digits), 12-34, fewer than 6 digits"})
    void apply_valueThatDoesNotFit_failsNamingStreamFieldAndRowNeverValue(String op, String value,
            String reason) {
        StreamTransform t = safeHarbor().stream("claims", r -> r.rule("v", op)).build()
                .bind(StreamDescriptor.of("claims", ONE));

        assertThatThrownBy(() -> t.apply(RowBatch.of(ONE, List.of(Row.of(ONE, value)), 42)))
                .isInstanceOf(SchemaViolationException.class)
                .hasMessageContaining("stream 'claims', field 'v', row 42: " + reason)
                .message().doesNotContain(value);
    }

    @Test
    void apply_badValueUnderQuarantine_setsRecordAsideEncrypted(@TempDir Path dir)
            throws IOException {
        LocalAesKeyring keyring = LocalAesKeyring.of(new byte[32]);
        Deidentifier deid = safeHarbor().stream("claims", r -> r.rule("v", "zip3"))
                .badValues(BadValuePolicy.QUARANTINE)
                .quarantine(EncryptedDirectoryQuarantine.of(dir, keyring)).build();
        StreamTransform t = deid.bind(StreamDescriptor.of("claims", ONE));

        RowBatch out = t.apply(batch(ONE, "02155", "ZIP-LETTERS-77", "01890"));

        assertThat(out.rows()).extracting(r -> r.get(0)).containsExactly("021", "018");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSize(1);
        assertThat(Files.readString(files.get(0), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("ZIP-LETTERS-77");
        assertThat(EncryptedDirectoryQuarantine.read(files.get(0), keyring, "claims"))
                .contains("ZIP-LETTERS-77").contains("\"position\":2");
        assertThat(deid.report().stream("claims").count("v", Outcome.QUARANTINED)).isEqualTo(1);
    }

    @Test
    void apply_fhirPatient_typeDrivenDefaultsDecideEveryLeaf() throws IOException {
        JsonNode patient = JSON.readTree(SharedPhi.data().resolve("fhir-r4/hl7-examples/"
                + "Patient-example.json").toFile());
        Schema schema = FhirFileSource.SCHEMA;
        Deidentifier deid = safeHarbor().build();
        StreamTransform t = deid.bind(StreamDescriptor.of("Patient", schema));

        JsonNode out = (JsonNode) t.apply(RowBatch.of(schema, List.of(Row.of(schema, patient)),
                1)).rows().get(0).get(0);

        assertThat(out.path("name").toString()).doesNotContain("family").doesNotContain("given")
                .doesNotContain("Chalmers");
        assertThat(out.path("telecom").toString()).contains("\"system\":\"phone\"")
                .doesNotContain("value").doesNotContain("5555");
        assertThat(out.path("address").path(0).path("postalCode").asText()).isEqualTo("039");
        assertThat(out.path("address").path(0).path("state").asText()).isEqualTo("Vic");
        assertThat(out.path("birthDate").asText()).isEqualTo("1974");
        assertThat(out.path("_birthDate").isMissingNode()).isTrue();
        assertThat(out.path("text").path("div").isMissingNode()).isTrue();
        // Record keys are derived from the individual's data: Safe Harbor drops them.
        assertThat(out.path("id").isMissingNode()).isTrue();
        assertThat(out.path("managingOrganization").path("reference").isMissingNode()).isTrue();
        assertThat(out.path("managingOrganization").path("display").isMissingNode()).isTrue();
    }

    @Test
    void build_keyedPresetWithoutKeys_isRefused() {
        assertThatThrownBy(() -> Deidentifier.builder().preset(Preset.research()).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("keys");
    }

    @Test
    void bind_ruleForMissingColumn_isRefusedAsLikelyTypo() {
        Deidentifier deid = safeHarbor().stream("x", r -> r.rule("SNN", "drop")).build();

        assertThatThrownBy(() -> deid.bind(StreamDescriptor.of("x", ONE)))
                .hasMessageContaining("the rule for 'SNN' matches no field");
    }

    @Test
    void overrides_fileChangesCategoryAndFieldAndPolicies(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("o.json"), "{\"categories\": {\"ZIP\": \"drop\"},"
                + " \"streams\": {\"x\": {\"fields\": {\"v\": \"mask-last(2)\"}}},"
                + " \"unknownFields\": \"fail\", \"referenceDate\": \"2030-01-01\"}");
        Deidentifier deid = safeHarbor().overrides(file).build();

        StreamTransform t = deid.bind(StreamDescriptor.of("x", ONE));

        assertThat(t.apply(batch(ONE, "AB-1234")).rows().get(0).get(0)).isEqualTo("**-**34");
        assertThat(deid.configuration()).contains("\"ZIP\":\"drop\"").contains("FAIL")
                .contains("2030-01-01");
    }

    @Test
    void toString_ofKeysRecordsAndTerms_showsNoSecretOrValue() {
        DeidKeys keys = SafeHarborOverSharedDataTest.keys();
        PhiTerms terms = new PhiTerms();
        terms.add(Category.NAME, "Sumiko254 Larue605");
        QuarantinedRecord record = new QuarantinedRecord("s", 1, "f", "malformed date",
                Row.of(ONE, "Sumiko254"));

        assertThat(keys.toString()).isEqualTo("DeidKeys[" + keys.id() + "]");
        assertThat(terms.toString()).doesNotContain("umiko");
        assertThat(record.toString()).doesNotContain("Sumiko");
        assertThat(safeHarbor().build().toString()).doesNotContain("AAAA");
    }
}
