package org.phicourier.deid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.Pipeline;
import org.phicourier.files.CsvFileSource;
import org.phicourier.files.FhirFileSource;
import org.phicourier.spi.Source;

/**
 * The research preset keeps one pseudonym and one date offset per patient across the CSV tables
 * and FHIR resources of the same patients, in two separate runs with separate instances built
 * from the same key file; intervals between a patient's encounters survive.
 */
class ResearchConsistencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Deidentifier research(Path keyFile) {
        return Deidentifier.builder().preset(Preset.research())
                .keys(DeidKeys.fromFile(keyFile)).referenceDate(LocalDate.of(2026, 1, 1)).build();
    }

    private static Path keyFile(Path dir) throws IOException {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        return Files.writeString(dir.resolve("deid.key"),
                Base64.getEncoder().encodeToString(secret));
    }

    /** Writes the CSV patients and encounters as FHIR Patient and Encounter NDJSON. */
    private static Path fhirOfCsv(Path dir) throws IOException {
        List<String> patients = new ArrayList<>();
        for (Map<String, String> row : rows("patients.csv")) {
            ObjectNode patient = JSON.createObjectNode().put("resourceType", "Patient")
                    .put("id", row.get("Id")).put("birthDate", row.get("BIRTHDATE"));
            patient.putArray("name").addObject().put("family", row.get("LAST"))
                    .putArray("given").add(row.get("FIRST"));
            patients.add(patient.toString());
        }
        List<String> encounters = new ArrayList<>();
        for (Map<String, String> row : rows("encounters.csv")) {
            ObjectNode encounter = JSON.createObjectNode().put("resourceType", "Encounter")
                    .put("id", row.get("Id")).put("status", "finished");
            encounter.putObject("subject").put("reference", "Patient/" + row.get("PATIENT"));
            encounter.putObject("period").put("start", row.get("START"))
                    .put("end", row.get("STOP"));
            encounters.add(encounter.toString());
        }
        Files.write(dir.resolve("Patient.ndjson"), patients);
        Files.write(dir.resolve("Encounter.ndjson"), encounters);
        return dir;
    }

    private static List<Map<String, String>> rows(String file) throws IOException {
        List<String> lines = Files.readAllLines(SharedPhi.csv().resolve(file));
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static CaptureSink run(Source source, Deidentifier deid) {
        CaptureSink sink = new CaptureSink();
        Pipeline.from(source).through(deid).to(sink).build().run();
        return sink;
    }

    private static List<JsonNode> lines(CaptureSink sink, String stream) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : sink.text(stream).split("\n")) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void run_csvThenFhirInSeparateRuns_givesSamePseudonymAndOffsetPerPatient(@TempDir Path dir)
            throws IOException {
        Path key = keyFile(dir);
        Path fhirDir = Files.createDirectories(dir.resolve("fhir"));
        CaptureSink csv = run(CsvFileSource.files(SharedPhi.csv().resolve("patients.csv"),
                SharedPhi.csv().resolve("encounters.csv")), research(key));
        CaptureSink fhir = run(FhirFileSource.of(fhirOfCsv(fhirDir)), research(key));

        Map<String, Long> csvOffsets = offsets(lines(csv, "encounters"), "PATIENT", "START");
        Map<String, Long> fhirOffsets = new HashMap<>();
        List<Map<String, String>> source = rows("encounters.csv");
        List<JsonNode> out = lines(fhir, "Encounter");
        for (int i = 0; i < out.size(); i++) {
            JsonNode resource = out.get(i).path("resource");
            String patient = resource.path("subject").path("reference").asText().substring(8);
            fhirOffsets.merge(patient, days(source.get(i).get("START"),
                    resource.path("period").path("start").asText()), (a, b) -> {
                        assertThat(b).isEqualTo(a);
                        return a;
                    });
        }
        assertThat(fhirOffsets).hasSize(27).isEqualTo(csvOffsets);
        assertThat(csvOffsets.values()).allMatch(d -> d <= -1 && d >= -365);
        assertThat(lines(csv, "patients").stream().map(n -> n.path("Id").asText()).toList())
                .containsExactlyInAnyOrderElementsOf(lines(fhir, "Patient").stream()
                        .map(n -> n.path("resource").path("id").asText()).toList());
    }

    /** Offsets in days per pseudonymised patient, checking each patient has one offset. */
    private static Map<String, Long> offsets(List<JsonNode> encounters, String patientField,
            String startField) throws IOException {
        Map<String, Long> offsets = new HashMap<>();
        List<Map<String, String>> source = rows("encounters.csv");
        for (int i = 0; i < encounters.size(); i++) {
            JsonNode out = encounters.get(i);
            long days = days(source.get(i).get("START"), out.path(startField).asText());
            offsets.merge(out.path(patientField).asText(), days, (a, b) -> {
                assertThat(b).isEqualTo(a);
                return a;
            });
        }
        return offsets;
    }

    private static long days(String original, String shifted) {
        Duration between = Duration.between(OffsetDateTime.parse(original),
                OffsetDateTime.parse(shifted));
        assertThat(between.toSeconds() % 86_400).isZero();
        return between.toDays();
    }

    @Test
    void run_research_keepsIntervalsBetweenEachPatientsEncounters(@TempDir Path dir)
            throws IOException {
        CaptureSink csv = run(CsvFileSource.files(SharedPhi.csv().resolve("encounters.csv")),
                research(keyFile(dir)));

        List<JsonNode> out = lines(csv, "encounters");
        List<Map<String, String>> source = rows("encounters.csv");
        for (int i = 1; i < out.size(); i++) {
            if (source.get(i).get("PATIENT").equals(source.get(i - 1).get("PATIENT"))) {
                assertThat(Duration.between(OffsetDateTime.parse(out.get(i - 1).path("START")
                        .asText()), OffsetDateTime.parse(out.get(i).path("START").asText())))
                        .isEqualTo(Duration.between(OffsetDateTime.parse(source.get(i - 1)
                                .get("START")), OffsetDateTime.parse(source.get(i).get("START"))));
            }
        }
    }

    @Test
    void run_wholeWeeks_keepsTheWeekday(@TempDir Path dir) throws IOException {
        Deidentifier deid = Deidentifier.builder().preset(Preset.research())
                .keys(DeidKeys.fromFile(keyFile(dir))).dateShift(DateShift.weeks(-364, -7))
                .build();

        CaptureSink csv = run(CsvFileSource.files(SharedPhi.csv().resolve("encounters.csv")),
                deid);

        List<JsonNode> out = lines(csv, "encounters");
        List<Map<String, String>> source = rows("encounters.csv");
        for (int i = 0; i < out.size(); i++) {
            assertThat(OffsetDateTime.parse(out.get(i).path("START").asText()).getDayOfWeek())
                    .isEqualTo(OffsetDateTime.parse(source.get(i).get("START")).getDayOfWeek());
        }
    }
}
