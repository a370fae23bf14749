package org.phicourier.http.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.RunReport;
import org.phicourier.http.HttpOptions;
import org.phicourier.http.Reading;
import org.phicourier.http.StateRuns;
import org.phicourier.model.Row;
import org.phicourier.testing.FakeFhirServer;
import org.phicourier.testing.LoopbackServer;
import org.phicourier.testing.TestServices;

class FhirSearchSourceIT {
    private static final HttpOptions LOCAL = HttpOptions.builder().allowPlainHttp(true).build();
    private static FakeFhirServer fhir;

    @BeforeAll
    static void startServer() {
        fhir = FakeFhirServer.start(TestServices.sharedData());
    }

    @AfterAll
    static void stopServer() {
        if (fhir != null) {
            fhir.close();
        }
    }

    @Test
    void read_sharedDataInPagesOfSeven_deliversEveryResourceExactlyOnce() {
        FhirSearchSource.Builder builder = FhirSearchSource.builder().baseUrl(fhir.baseUrl())
                .http(LOCAL).pageSize(7).batchSize(50);
        fhir.types().forEach(builder::search);

        Map<String, List<Row>> read = Reading.all(builder.build());

        assertThat(read.keySet()).containsExactlyElementsOf(fhir.types());
        long total = 0;
        for (String type : fhir.types()) {
            Map<String, JsonNode> expected = fhir.resources(type);
            assertThat(byId(read.get(type))).as(type).isEqualTo(expected);
            assertThat(read.get(type)).as(type).hasSize(expected.size());
            total += read.get(type).size();
        }
        assertThat(total).isEqualTo(fhir.count()).isGreaterThan(8000);
    }

    @Test
    void read_sharedDataInPagesOfSeven_requestsEachPageOnce() {
        String type = "Immunization";
        int before = fhir.requests().size();

        Reading.all(FhirSearchSource.builder().baseUrl(fhir.baseUrl()).http(LOCAL).pageSize(7)
                .search(type).build());

        int pages = (fhir.resources(type).size() + 6) / 7;
        assertThat(fhir.requests().subList(before, fhir.requests().size()))
                .hasSize(pages)
                .allSatisfy(r -> assertThat(r.header("Accept")).hasValue("application/fhir+json"));
    }

    @Test
    void read_decimalsInResources_keepTheirExactText() {
        Map<String, List<Row>> read = Reading.all(FhirSearchSource.builder()
                .baseUrl(fhir.baseUrl()).http(LOCAL).pageSize(7).search("Observation").build());

        JsonNode decimal = byId(read.get("Observation")).get("decimal");
        String text = decimal.toString();
        assertThat(text).contains("\"value\":1.0,", "\"value\":1.00,", "1E-22",
                "1.000000000000000000E-245");
    }

    @Test
    void run_secondRunWithState_returnsOnlyResourcesChangedOnTheServersClock(
            @TempDir Path state) {
        fhir.clockOffset(Duration.ofHours(-1));
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            runs.run(incremental());
            String patient = fhir.resources("Patient").keySet().iterator().next();
            String encounter = fhir.resources("Encounter").keySet().iterator().next();
            fhir.update("Patient", patient, p -> p.put("gender", "unknown"));
            fhir.update("Encounter", encounter, e -> e.put("status", "cancelled"));

            Map<String, List<ObjectNode>> second = runs.records(runs.run(incremental()));

            assertThat(resourceIds(second.get("Patient"))).containsExactly(patient);
            assertThat(resourceIds(second.get("Encounter"))).containsExactly(encounter);
            assertThat(second.get("Condition")).isEmpty();
        } finally {
            fhir.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void run_nothingChanged_succeedsWithZeroRecordsAndKeepsTheBookmark(@TempDir Path state)
            throws Exception {
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            runs.run(incremental());
            String patient = fhir.resources("Patient").keySet().iterator().next();

            RunReport empty = runs.run(incremental());
            fhir.update("Patient", patient, p -> p.put("gender", "unknown"));
            RunReport third = runs.run(incremental());

            assertThat(empty.recordsWritten()).isZero();
            assertThat(resourceIds(runs.records(third).get("Patient"))).containsExactly(patient);
        }
    }

    @Test
    void run_withState_savesTheServersTimeNotTheClients(@TempDir Path state) throws Exception {
        fhir.clockOffset(Duration.ofHours(-3));
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            runs.run(incremental());

            Matcher saved = Pattern.compile("\"serverTime\" ?: ?\"([^\"]+)\"")
                    .matcher(runs.stateText());
            assertThat(saved.find()).isTrue();
            assertThat(OffsetDateTime.parse(saved.group(1)).toInstant())
                    .isBefore(Instant.now().minus(Duration.ofHours(2)));
        } finally {
            fhir.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void run_pipelineWithState_deliversEveryResourceExactlyOnce(@TempDir Path state) {
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            Map<String, List<ObjectNode>> read = runs.records(runs.run(FhirSearchSource.builder()
                    .baseUrl(fhir.baseUrl()).http(LOCAL).pageSize(7).batchSize(5)
                    .search("Patient").search("Encounter").build()));

            for (String type : List.of("Patient", "Encounter")) {
                assertThat(resourceIds(read.get(type))).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(fhir.resources(type).keySet());
            }
        }
    }

    @Test
    void read_searchsetWithWarningOutcome_skipsItAndLogsCodesOnly() throws Exception {
        Path example = TestServices.sharedData()
                .resolve("fhir-r4/hl7-examples/Bundle-bundle-search-warning.json");
        try (LoopbackServer server = LoopbackServer.start();
                var logs = org.phicourier.testing.CapturedLogs.everythingAtTrace()) {
            server.route("/fhir/Observation", (request, reply) -> reply.send(200,
                    "application/fhir+json", java.nio.file.Files.readAllBytes(example)));

            Map<String, List<Row>> read = Reading.all(FhirSearchSource.builder()
                    .baseUrl(server.uri("/fhir")).http(LOCAL)
                    .search("Observation", "patient.identifier=mrn%7C123456").build());

            assertThat(read.get("Observation")).isEmpty();
            assertThat(logs.text()).contains("warning not-found").doesNotContain("123456");
        }
    }

    private FhirSearchSource incremental() {
        return FhirSearchSource.builder().baseUrl(fhir.baseUrl()).http(LOCAL).pageSize(50)
                .search("Patient").search("Encounter").search("Condition").build();
    }

    static List<String> resourceIds(List<ObjectNode> records) {
        return records.stream().map(r -> r.path(FhirRecords.RESOURCE_FIELD).path("id").asText())
                .toList();
    }

    static Map<String, JsonNode> byId(List<Row> rows) {
        Map<String, JsonNode> byId = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (Row row : rows) {
            JsonNode resource = (JsonNode) row.get(0);
            if (byId.put(resource.path("id").asText(), resource) != null) {
                duplicates.add(resource.path("id").asText());
            }
        }
        assertThat(duplicates).as("resources read more than once").isEmpty();
        return byId;
    }
}
