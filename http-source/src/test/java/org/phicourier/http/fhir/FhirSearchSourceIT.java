package org.phicourier.http.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.http.HttpOptions;
import org.phicourier.http.Reading;
import org.phicourier.http.state.FileBookmarkStore;
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
    void read_secondRunWithBookmark_returnsOnlyResourcesChangedOnTheServersClock(
            @TempDir Path state) {
        fhir.clockOffset(Duration.ofHours(-1));
        try {
            FileBookmarkStore store = FileBookmarkStore.at(state.resolve("bookmarks.json"));
            FhirSearchSource first = incremental(store);
            Reading.all(first);
            first.commitProgress();
            String patient = fhir.resources("Patient").keySet().iterator().next();
            String encounter = fhir.resources("Encounter").keySet().iterator().next();
            fhir.update("Patient", patient, p -> p.put("gender", "unknown"));
            fhir.update("Encounter", encounter, e -> e.put("status", "cancelled"));

            Map<String, List<Row>> second = Reading.all(incremental(store));

            assertThat(byId(second.get("Patient")).keySet()).containsExactly(patient);
            assertThat(byId(second.get("Encounter")).keySet()).containsExactly(encounter);
            assertThat(second.get("Condition")).isEmpty();
        } finally {
            fhir.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void commitProgress_afterSearch_savesTheServersTimeNotTheClients(@TempDir Path state)
            throws Exception {
        fhir.clockOffset(Duration.ofHours(-3));
        try {
            FileBookmarkStore store = FileBookmarkStore.at(state.resolve("bookmarks.json"));
            FhirSearchSource source = incremental(store);
            Reading.all(source);
            source.commitProgress();

            String saved = java.nio.file.Files.readString(state.resolve("bookmarks.json"));
            OffsetDateTime serverTime = OffsetDateTime.parse(saved.replaceAll(
                    "(?s).*\"serverTime\" : \"([^\"]+)\".*", "$1"));
            assertThat(serverTime.toInstant()).isBefore(java.time.Instant.now()
                    .minus(Duration.ofHours(2)));
        } finally {
            fhir.clockOffset(Duration.ZERO);
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

    private FhirSearchSource incremental(FileBookmarkStore store) {
        return FhirSearchSource.builder().baseUrl(fhir.baseUrl()).http(LOCAL).pageSize(50)
                .search("Patient").search("Encounter").search("Condition").bookmarks(store)
                .build();
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
