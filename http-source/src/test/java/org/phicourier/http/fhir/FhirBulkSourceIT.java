package org.phicourier.http.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.RunReport;
import org.phicourier.SinkException;
import org.phicourier.SourceException;
import org.phicourier.http.HttpOptions;
import org.phicourier.http.Reading;
import org.phicourier.http.StateRuns;
import org.phicourier.model.Row;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.testing.FakeFhirServer;
import org.phicourier.testing.LoopbackServer;
import org.phicourier.testing.TestServices;

class FhirBulkSourceIT {
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

    @AfterEach
    void resetServer() {
        fhir.clockOffset(Duration.ZERO);
        fhir.linesPerFile(1000);
        fhir.retryAfter(null);
    }

    @Test
    void read_systemExportOfSharedData_deliversEveryResourceExactlyOnce() {
        fhir.linesPerFile(500);
        Map<String, List<Row>> read;
        try (FhirBulkSource source = system().build()) {
            read = Reading.all(source);
        }

        Map<String, Map<String, JsonNode>> byType = new HashMap<>();
        read.forEach((stream, rows) -> {
            String type = stream.split("\\.")[0];
            Map<String, JsonNode> ids = byType.computeIfAbsent(type, t -> new HashMap<>());
            rows.forEach(row -> assertThat(ids.put(((JsonNode) row.get(0)).path("id").asText(),
                    (JsonNode) row.get(0))).as("read twice").isNull());
        });
        assertThat(byType.keySet()).containsExactlyInAnyOrderElementsOf(fhir.types());
        fhir.types().forEach(t -> assertThat(byType.get(t)).as(t).isEqualTo(fhir.resources(t)));
    }

    @Test
    void read_typeSplitOverSeveralFiles_isOneStreamNamedByTheType() {
        fhir.linesPerFile(500);
        Map<String, List<Row>> read;
        try (FhirBulkSource source = system().types("Encounter").build()) {
            read = Reading.all(source);
        }

        assertThat(fhir.resources("Encounter")).hasSizeGreaterThan(1000);
        assertThat(read.keySet()).containsExactly("Encounter");
        assertThat(ids(read.get("Encounter"))).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(fhir.resources("Encounter").keySet());
    }

    @Test
    void open_fromABookmarkInTheMiddle_continuesInTheSameJobAfterTheDeliveredRecords() {
        fhir.linesPerFile(500);
        int deletedBefore = fhir.deletedJobs();
        Reading.Resumed first;
        try (FhirBulkSource source = system().types("Encounter").batchSize(100).build()) {
            first = Reading.resume(source, source.discover().get(0), Optional.empty(), 7);
        }
        int deletedBetween = fhir.deletedJobs();
        long kickOffs = kickOffs();
        Reading.Resumed rest;
        try (FhirBulkSource source = system().types("Encounter").batchSize(100).build()) {
            rest = Reading.resume(source, source.discover().get(0), first.bookmark(),
                    Integer.MAX_VALUE);
        }

        assertThat(first.bookmark().orElseThrow().attributes())
                .containsEntry("file", "1").containsEntry("records", "200");
        assertThat(deletedBetween).isEqualTo(deletedBefore);
        assertThat(kickOffs()).isEqualTo(kickOffs);
        List<Row> all = new ArrayList<>(first.rows());
        all.addAll(rest.rows());
        assertThat(ids(all)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(fhir.resources("Encounter").keySet());
        assertThat(fhir.deletedJobs()).isEqualTo(deletedBefore + 1);
    }

    @Test
    void run_failsInTheMiddleOfAType_rerunDeliversEveryResourceOnce(@TempDir Path state) {
        fhir.linesPerFile(500);
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            assertThat(fhir.resources("Patient")).hasSizeLessThan(700);
            assertThatThrownBy(() -> runs.run(system().types("Patient", "Encounter")
                    .batchSize(50).build(), 700)).isInstanceOf(SinkException.class);
            long kickOffs = kickOffs();

            runs.run(system().types("Patient", "Encounter").batchSize(50).build());

            // Patient, read to its end before the fault, asks for changes since; Encounter
            // continues in the first job.
            assertThat(kickOffs()).isEqualTo(kickOffs + 1);
            assertThat(lastKickOff().param("_since")).isPresent();
            List<ObjectNode> records = runs.committedRecords();
            for (String type : List.of("Patient", "Encounter")) {
                assertThat(records.stream().map(r -> r.path("resource"))
                        .filter(r -> r.path("resourceType").asText().equals(type))
                        .map(r -> r.path("id").asText()).toList()).as(type)
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(fhir.resources(type).keySet());
            }
        }
    }

    private static long kickOffs() {
        return fhir.requests().stream().filter(r -> r.path().endsWith("$export")).count();
    }

    @Test
    void discover_withoutTypes_namesOneStreamPerTypeInTheManifest() {
        fhir.linesPerFile(500);
        try (FhirBulkSource source = system().build()) {
            List<String> names = source.discover().stream().map(StreamDescriptor::name).toList();

            assertThat(names).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(fhir.types());
            assertThat(source.discover().get(0).schema()).isEqualTo(FhirRecords.schema(
                    names.get(0)));
        }
    }

    @Test
    void close_afterExport_deletesTheJob() {
        int before = fhir.deletedJobs();
        try (FhirBulkSource source = system().types("Patient").build()) {
            Reading.all(source);
        }

        assertThat(fhir.deletedJobs()).isEqualTo(before + 1);
    }

    @Test
    void open_kickOff_asksAsynchronouslyForNdjson() {
        int before = fhir.requests().size();
        try (FhirBulkSource source = FhirBulkSource.builder().baseUrl(fhir.baseUrl()).http(LOCAL)
                .pollInterval(Duration.ofMillis(20)).group("cohort-1").types("Patient").build()) {
            Reading.all(source);
        }

        LoopbackServer.Request kickOff = fhir.requests().get(before);
        assertThat(kickOff.path()).isEqualTo("/fhir/Group/cohort-1/$export");
        assertThat(kickOff.header("Prefer")).hasValue("respond-async");
        assertThat(kickOff.header("Accept")).hasValue("application/fhir+json");
        assertThat(kickOff.param("_type")).hasValue("Patient");
        assertThat(kickOff.param("_outputFormat")).hasValue("application/fhir+ndjson");
    }

    @Test
    void open_statusAsksToRetryAfterOneSecond_waitsThatLongBetweenPolls() {
        fhir.retryAfter("1");
        int before = fhir.requests().size();
        try (FhirBulkSource source = system().types("Patient").build()) {
            Reading.all(source);
        }

        List<LoopbackServer.Request> polls = fhir.requests().subList(before,
                fhir.requests().size()).stream().filter(r -> r.path().contains("$status"))
                .filter(r -> r.method().equals("GET")).toList();
        assertThat(polls).hasSize(3);
        for (int i = 1; i < polls.size(); i++) {
            long gap = polls.get(i).arrivedNanos() - polls.get(i - 1).arrivedNanos();
            assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        }
    }

    @Test
    void run_secondExportSinceFirstTransactionTime_returnsOnlyResourcesChangedAfterIt(
            @TempDir Path state) {
        fhir.clockOffset(Duration.ofHours(-1));
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            FhirBulkSource first = patientLevel();
            runs.run(first);
            Instant firstTransaction = first.transactionTime().orElseThrow().toInstant();
            JsonNode encounter = fhir.resources("Encounter").values().iterator().next();
            String patientOfEncounter = encounter.path("subject").path("reference").asText()
                    .replace("Patient/", "");
            String otherPatient = fhir.resources("Patient").keySet().stream()
                    .filter(id -> !id.equals(patientOfEncounter)).findFirst().orElseThrow();
            fhir.update("Encounter", encounter.path("id").asText(),
                    e -> e.put("status", "cancelled"));
            fhir.update("Patient", otherPatient, p -> p.put("gender", "unknown"));

            Map<String, List<ObjectNode>> second = runs.records(runs.run(patientLevel()));

            assertThat(FhirSearchSourceIT.resourceIds(second.get("Encounter")))
                    .containsExactly(encounter.path("id").asText());
            assertThat(FhirSearchSourceIT.resourceIds(second.get("Patient")))
                    .containsExactly(otherPatient);
            assertThat(lastKickOff().param("_since")).hasValueSatisfying(since -> assertThat(
                    OffsetDateTime.parse(since).toInstant()).isEqualTo(firstTransaction));
        } finally {
            fhir.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void run_exportWithNothingNew_succeedsWithZeroRecordsAndKeepsTheBookmark(
            @TempDir Path state) {
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            runs.run(patientLevel());
            String patient = fhir.resources("Patient").keySet().iterator().next();

            RunReport empty = runs.run(patientLevel());
            fhir.update("Patient", patient, p -> p.put("gender", "unknown"));
            RunReport third = runs.run(patientLevel());

            assertThat(empty.recordsWritten()).isZero();
            assertThat(lastKickOff().param("_since")).isPresent();
            assertThat(FhirSearchSourceIT.resourceIds(runs.records(third).get("Patient")))
                    .containsExactly(patient);
        }
    }

    @Test
    void run_withState_savesTheServersTransactionTime(@TempDir Path state) throws Exception {
        fhir.clockOffset(Duration.ofHours(-5));
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            FhirBulkSource source = system().types("Device").build();
            runs.run(source);

            Matcher saved = Pattern.compile("\"transactionTime\" ?: ?\"([^\"]+)\"")
                    .matcher(runs.stateText());
            assertThat(saved.find()).isTrue();
            assertThat(OffsetDateTime.parse(saved.group(1)))
                    .isEqualTo(source.transactionTime().orElseThrow());
            assertThat(OffsetDateTime.parse(saved.group(1)).toInstant())
                    .isBefore(Instant.now().minus(Duration.ofHours(4)));
        } finally {
            fhir.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void run_pipelineWithState_deliversEveryResourceExactlyOnce(@TempDir Path state) {
        fhir.linesPerFile(500);
        try (StateRuns runs = new StateRuns(state.resolve("state.json"))) {
            Map<String, List<ObjectNode>> read = runs.records(runs.run(system()
                    .types("Patient", "Encounter").build()));

            for (String type : List.of("Patient", "Encounter")) {
                assertThat(FhirSearchSourceIT.resourceIds(read.get(type)))
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(fhir.resources(type).keySet());
            }
        }
    }

    private static LoopbackServer.Request lastKickOff() {
        return fhir.requests().stream().filter(r -> r.path().endsWith("$export"))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void open_serverAnswersKickOffWith200_failsNamingTheUrl() {
        try (LoopbackServer server = LoopbackServer.start()) {
            server.route("/fhir", (request, reply) -> reply.send(200, "application/fhir+json",
                    "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}"));
            FhirBulkSource source = FhirBulkSource.builder().baseUrl(server.uri("/fhir"))
                    .http(LOCAL).system().types("Patient").build();

            assertThatThrownBy(() -> Reading.all(source)).isInstanceOf(SourceException.class)
                    .hasMessageContaining("/fhir/$export")
                    .hasMessageContaining("not 202 Accepted")
                    .hasMessageNotContaining("_type");
        }
    }

    @Test
    void discover_manifestListsErrors_failsWithTheirCodes() {
        try (LoopbackServer server = LoopbackServer.start()) {
            String base = server.uri("").toString();
            server.route("/fhir/$export", (request, reply) -> reply.header("Content-Location",
                    base + "/status/1").empty(202));
            server.route("/status/1", (request, reply) -> reply.send(200, "application/json",
                    "{\"transactionTime\":\"2024-08-06T18:12:57Z\",\"requiresAccessToken\":true,"
                    + "\"output\":[],\"error\":[{\"type\":\"OperationOutcome\",\"url\":\""
                    + base + "/errors.ndjson\"}]}"));
            server.route("/errors.ndjson", (request, reply) -> reply.send(200,
                    "application/fhir+ndjson", "{\"resourceType\":\"OperationOutcome\",\"issue\""
                    + ":[{\"severity\":\"error\",\"code\":\"processing\",\"diagnostics\":"
                    + "\"Patient Zebulon Smith could not be exported\"}]}\n"));
            FhirBulkSource source = FhirBulkSource.builder().baseUrl(server.uri("/fhir"))
                    .http(LOCAL).system().build();

            assertThatThrownBy(source::discover).isInstanceOf(SourceException.class)
                    .hasMessageContaining("error processing")
                    .hasMessageNotContaining("Zebulon");
        }
    }

    @Test
    void read_connectionBreaksOffMidFile_fetchesItAgainAndSkipsWhatWasRead() {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            file.append("{\"resourceType\":\"Patient\",\"id\":\"p").append(i)
                    .append("\",\"pad\":\"").append("x".repeat(100)).append("\"}\n");
        }
        byte[] body = file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicInteger downloads = new java.util.concurrent.atomic
                .AtomicInteger();
        try (LoopbackServer server = LoopbackServer.start()) {
            String base = server.uri("").toString();
            server.route("/fhir/$export", (request, reply) -> reply.header("Content-Location",
                    base + "/status").empty(202));
            server.route("/status", (request, reply) -> reply.send(200, "application/json",
                    "{\"transactionTime\":\"2024-08-06T18:12:57Z\",\"requiresAccessToken\":"
                    + "false,\"output\":[{\"type\":\"Patient\",\"url\":\"" + base
                    + "/files/Patient.ndjson\"}],\"error\":[]}"));
            server.route("/files", (request, reply) -> {
                java.io.OutputStream out = reply.fixedLength(200, "application/fhir+ndjson",
                        body.length);
                if (downloads.incrementAndGet() == 1) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    throw new java.io.IOException("connection dropped on purpose");
                }
                out.write(body);
                out.close();
            });
            List<Row> rows;
            try (FhirBulkSource source = FhirBulkSource.builder().baseUrl(server.uri("/fhir"))
                    .http(LOCAL).system().batchSize(100).build()) {
                rows = Reading.all(source).get("Patient");
            }

            assertThat(downloads).hasValue(2);
            assertThat(ids(rows)).containsExactlyElementsOf(java.util.stream.IntStream
                    .range(0, 3000).mapToObj(i -> "p" + i).toList());
        }
    }

    private static FhirBulkSource.Builder system() {
        return FhirBulkSource.builder().baseUrl(fhir.baseUrl()).http(LOCAL)
                .pollInterval(Duration.ofMillis(20)).system();
    }

    private static FhirBulkSource patientLevel() {
        return FhirBulkSource.builder().baseUrl(fhir.baseUrl()).http(LOCAL)
                .pollInterval(Duration.ofMillis(20)).patient().types("Patient", "Encounter")
                .build();
    }

    private static List<String> ids(List<Row> rows) {
        return rows.stream().map(r -> ((JsonNode) r.get(0)).path("id").asText()).toList();
    }
}
