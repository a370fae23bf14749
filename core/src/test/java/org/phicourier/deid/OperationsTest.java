package org.phicourier.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phicourier.ConfigurationException;
import org.phicourier.deid.Operation.Ff1Format;

class OperationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every SSN and phone number of the shared data, CSV and FHIR. */
    private static Map<Ff1Format, Set<String>> sharedNumbers() throws IOException {
        Map<Ff1Format, Set<String>> numbers = new HashMap<>();
        numbers.put(Ff1Format.SSN, new TreeSet<>(SharedPhi.collect().values().get("ssn")));
        Set<String> phones = new TreeSet<>(SharedPhi.collect().values().get("phone"));
        for (String table : List.of("organizations.csv", "payers.csv")) {
            List<String> lines = Files.readAllLines(SharedPhi.csv().resolve(table));
            int column = List.of(lines.get(0).split(",")).indexOf("PHONE");
            lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)[column])
                    .filter(p -> p.replaceAll("[^0-9]", "").length() >= 6).forEach(phones::add);
        }
        numbers.put(Ff1Format.PHONE, phones);
        return numbers;
    }

    @Test
    void ff1_everySsnAndPhoneOfSharedData_roundTripsAndKeepsFormatAndValidity()
            throws IOException {
        Ff1Cipher cipher = Ff1Cipher.of(SafeHarborOverSharedDataTest.keys());
        Map<Ff1Format, Set<String>> numbers = sharedNumbers();

        assertThat(numbers.get(Ff1Format.SSN)).hasSizeGreaterThan(30);
        assertThat(numbers.get(Ff1Format.PHONE)).hasSizeGreaterThan(30);
        numbers.forEach((format, values) -> values.forEach(value -> {
            String encrypted = cipher.encrypt(format, "patients.SSN", value);
            assertThat(encrypted).isNotEqualTo(value)
                    .hasSameSizeAs(value).matches(value.replaceAll("[0-9]", "[0-9]")
                            .replace("+", "\\+").replace("(", "\\(").replace(")", "\\)")
                            .replace(".", "\\."));
            assertThat(validity(format, encrypted)).isEqualTo(validity(format, value));
            assertThat(cipher.decrypt(format, "patients.SSN", encrypted)).isEqualTo(value);
        }));
    }

    @Test
    void ff1_validSsnsAndNanpPhones_cycleWalkToValidOnes() {
        Ff1Cipher cipher = Ff1Cipher.of(SafeHarborOverSharedDataTest.keys());
        for (int i = 0; i < 500; i++) {
            String ssn = String.format("%03d-%02d-%04d", 1 + i % 665, 1 + i % 99, 1 + i);
            String phone = String.format("(%03d) %03d-%04d", 201 + i % 700, 202 + i % 700, i);
            assertThat(validity(Ff1Format.SSN, cipher.encrypt(Ff1Format.SSN, "t", ssn))).isTrue();
            if (validity(Ff1Format.PHONE, phone)) {
                assertThat(validity(Ff1Format.PHONE, cipher.encrypt(Ff1Format.PHONE, "t", phone)))
                        .isTrue();
            }
        }
    }

    private static boolean validity(Ff1Format format, String value) {
        String digits = value.replaceAll("[^0-9]", "");
        byte[] d = new byte[digits.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (digits.charAt(i) - '0');
        }
        if (format == Ff1Format.SSN) {
            return Ff1Cipher.validSsn(d);
        }
        return d.length != 10 || Ff1Cipher.validNanp(d);
    }

    @Test
    void ff1_tweakPerField_givesDifferentCiphertexts() {
        Ff1Cipher cipher = Ff1Cipher.of(SafeHarborOverSharedDataTest.keys());

        assertThat(cipher.encrypt(Ff1Format.SSN, "a", "123-45-6789"))
                .isNotEqualTo(cipher.encrypt(Ff1Format.SSN, "b", "123-45-6789"));
    }

    @Test
    void pseudonym_normalisedRenderings_areEqualAndKeyed() {
        Pseudonyms p = new Pseudonyms(SafeHarborOverSharedDataTest.keys());

        assertThat(p.pseudonym(Category.SSN, "999-17-5017"))
                .isEqualTo(p.pseudonym(Category.SSN, "999175017")).matches("[0-9a-f]{32}");
        assertThat(p.pseudonym(Category.PHONE, "(555) 810-7203"))
                .isEqualTo(p.pseudonym(Category.PHONE, "+1 555 810 7203"));
        assertThat(p.pseudonym(Category.EMAIL, "A.B@Example.org"))
                .isEqualTo(p.pseudonym(Category.EMAIL, "a.b@example.org"));
        assertThat(p.pseudonym(Category.RECORD_KEY, "Patient/ABC-1"))
                .isEqualTo("Patient/" + p.subject("ABC-1"));
        assertThat(p.pseudonym(Category.RECORD_KEY,
                "urn:uuid:3EDAC2E3-D223-6FAE-D515-DAF96EF6BC76"))
                .isEqualTo("urn:uuid:" + p.subject("3edac2e3-d223-6fae-d515-daf96ef6bc76"));
        assertThat(new Pseudonyms(DeidKeys.of(new byte[32])).pseudonym(Category.SSN, "999175017"))
                .isNotEqualTo(p.pseudonym(Category.SSN, "999175017"));
    }

    @Test
    void dateShifter_offsets_coverTheRangeWithoutZeroAndRoughlyUniformly() {
        DateShifter shifter = new DateShifter(SafeHarborOverSharedDataTest.keys(),
                DateShift.days(-3, 3));
        Map<Integer, Integer> counts = new HashMap<>();

        for (int i = 0; i < 6000; i++) {
            counts.merge(shifter.offsetDays("subject-" + i), 1, Integer::sum);
        }

        assertThat(counts.keySet()).containsExactlyInAnyOrder(-3, -2, -1, 1, 2, 3);
        assertThat(counts.values()).allMatch(n -> n > 800 && n < 1200);
    }

    @ParameterizedTest
    @CsvSource({"02155, 021", "03601, 000", "89012-1234, 000", "1850, 018"})
    void zip3_builtInCensus2000Table_generalisesAndSuppressesRestrictedPrefixes(String zip,
            String expected) {
        assertThat(Zip3Table.builtIn().zip3(zip)).isEqualTo(expected);
        assertThat(Zip3Table.builtIn().version()).isEqualTo("hhs-census-2000");
    }

    @ParameterizedTest
    @CsvSource({"2019-05-31T10:15:00-04:00, year, 2019", "2019-05-31, year-month, 2019-05",
        "2019-05-31, quarter, 2019-Q2", "37, bucket(10), 30-39", "999-12-3456, mask-last(4),"
        + " ***-**-3456", "x, constant(n/a), n/a", "x, type-tag, [SSN]", "x, redact, [REDACTED]"})
    void apply_generalisingAndRedactingOperations_giveDocumentedText(String value, String spec,
            String expected) {
        ValueOps ops = new ValueOps(java.util.Optional.empty(), Zip3Table.builtIn(),
                java.time.LocalDate.of(2026, 1, 1));

        assertThat(ops.apply(Operation.parse(spec), Category.SSN, "f", value,
                java.util.Optional.empty())).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"year", "year-month", "quarter", "birth-year", "zip3", "age-90", "bucket(10)"})
    void apply_generalisingEmptyText_keepsItEmptyInsteadOfFailing(String spec) {
        ValueOps ops = new ValueOps(java.util.Optional.empty(), Zip3Table.builtIn(),
                java.time.LocalDate.of(2026, 1, 1));

        assertThat(ops.apply(Operation.parse(spec), Category.DATE, "f", "",
                java.util.Optional.empty())).contains("");
        assertThat(ops.outcome()).isEqualTo(Outcome.KEPT);
    }

    @Test
    void shift_fhirDateTimeText_keepsTimeOffsetAndPrecision() {
        assertThat(Dates.shift("1989-10-04T02:25:16-04:00", -10))
                .isEqualTo("1989-09-24T02:25:16-04:00");
        assertThat(Dates.shift("1989-10", -10)).isEqualTo("1989-09");
        assertThat(Dates.shift(java.time.LocalDate.of(2020, 3, 1), -1))
                .isEqualTo(java.time.LocalDate.of(2020, 2, 29));
    }

    @Test
    void parse_unknownOperation_isRefusedWithTheChoices() {
        assertThatThrownBy(() -> Operation.parse("hash")).isInstanceOf(
                ConfigurationException.class).hasMessageContaining("pseudonymize");
        assertThatThrownBy(() -> Operation.parse("ff1(iban)"))
                .hasMessageContaining("ff1(ssn)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SSN 999-17-5017 on file|SSN", "call (617) 555-0199 today|PHONE",
        "fax: 617-555-0199|FAX", "mail a.b@example.org|EMAIL", "see https://x.example/p|URL",
        "from 10.1.2.3 host|IP_ADDRESS", "from 2001:db8::ff00:42:8329 host|IP_ADDRESS",
        "seen 03/04/1960 by|DATE", "on March 4, 1960 we|DATE", "on 1960-03-04T10:00Z|DATE",
        "a 94 year-old man|AGE", "MRN: A1234567 noted|MRN", "Acct #99881234|ACCOUNT",
        "at 534 Erewhon St, Pleasantville|STREET"})
    void detectors_validatedPatterns_findEachKind(String text, Category category) {
        assertThat(new Detectors().find(text)).extracting(Span::category).contains(category);
    }

    @Test
    void detectors_youngAgesTimesAndCodes_areNotHits() {
        assertThat(new Detectors().find("a 60 year-old at 12:30:45 with code 8480-6 and 1.0"))
                .isEmpty();
    }

    @Test
    void scrub_base64NoteNamingItsPatientInAnotherCase_isCleanedAndStillBase64() {
        PhiTerms terms = new PhiTerms();
        terms.add(Category.NAME, "Sumiko254");
        terms.add(Category.NAME, "Medhurst46");
        String note = Base64.getEncoder().encodeToString(("SUMIKO MEDHURST46 is a 94 year-old"
                + " seen 1987-11-19, phone 555-810-7203.").getBytes(StandardCharsets.UTF_8));
        Map<String, Long> hits = new HashMap<>();

        String out = new Scrubber().scrub(Scrubber.Form.BASE64, note, List.of(terms), hits);

        String text = new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("[NAME] [NAME] is a 90+ year-old seen [DATE], phone [PHONE].");
        assertThat(hits).containsKeys("NAME", "AGE", "DATE", "PHONE");
        assertThat(new Scrubber().residual(Scrubber.Form.BASE64, out, List.of(terms))).isFalse();
    }

    @Test
    void classify_patientsCsvSample_placesEveryColumn() throws IOException {
        org.phicourier.files.CsvFileSource source = org.phicourier.files.CsvFileSource.files(
                SharedPhi.csv().resolve("patients.csv"));
        org.phicourier.spi.StreamDescriptor stream = source.discover().get(0);
        List<org.phicourier.model.Row> sample = new ArrayList<>();
        try (org.phicourier.spi.StreamReader reader = source.open(stream)) {
            reader.next().ifPresent(b -> sample.addAll(b.rows()));
        }

        List<Classifier.Proposal> proposals = Classifier.standard().classify(stream, sample);

        Map<String, Category> byField = new HashMap<>();
        proposals.forEach(p -> byField.put(p.field(), p.category()));
        assertThat(byField).containsEntry("SSN", Category.SSN).containsEntry("FIRST",
                Category.NAME).containsEntry("ZIP", Category.ZIP).containsEntry("BIRTHDATE",
                Category.BIRTH_DATE).containsEntry("DRIVERS", Category.LICENSE)
                .doesNotContainValue(Category.UNKNOWN);
        String json = Classifier.toJson(Map.of("patients", proposals), Preset.safeHarbor());
        assertThat(json).doesNotContain("999-").doesNotContain("Maynard46");
    }

    @Test
    void classify_unnamedColumnWithSsnValues_isPlacedByItsValues() {
        org.phicourier.model.Schema schema = org.phicourier.model.Schema.of(
                org.phicourier.model.Field.of("col7", org.phicourier.model.FieldType.STRING));
        List<org.phicourier.model.Row> rows = List.of(org.phicourier.model.Row.of(schema,
                "999-17-5017"), org.phicourier.model.Row.of(schema, "999-50-8136"));

        assertThat(Classifier.standard().classify(org.phicourier.spi.StreamDescriptor.of("t",
                schema), rows).get(0).category()).isEqualTo(Category.SSN);
    }

    @Test
    void classify_fhirBundlePaths_useDatatypeDefaults() throws IOException {
        JsonNode patient = JSON.readTree(SharedPhi.data().resolve(
                "fhir-r4/hl7-examples/Patient-f201.json").toFile());
        org.phicourier.model.Schema schema = org.phicourier.files.FhirFileSource.SCHEMA;

        List<Classifier.Proposal> proposals = Classifier.standard().classify(
                org.phicourier.spi.StreamDescriptor.of("Patient", schema),
                List.of(org.phicourier.model.Row.of(schema, patient)));

        Map<String, Category> byPath = new HashMap<>();
        proposals.forEach(p -> byPath.put(p.field(), p.category()));
        assertThat(byPath).containsEntry("resource.name.family", Category.NAME)
                .containsEntry("resource.telecom.value", Category.PHONE)
                .containsEntry("resource.birthDate", Category.BIRTH_DATE);
        Path unused = Path.of(".");
        assertThat(unused).isNotNull();
    }
}
