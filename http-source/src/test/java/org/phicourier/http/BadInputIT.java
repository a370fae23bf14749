package org.phicourier.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.PhiCourierException;
import org.phicourier.SourceException;
import org.phicourier.http.fhir.FhirSearchSource;
import org.phicourier.spi.Source;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.LoopbackServer;

/**
 * Bodies a source cannot use: each fails with a message naming the URL without its query string
 * and the position, never the payload (every payload here carries the marker {@value #PHI}), and
 * the records before the fault are delivered.
 */
class BadInputIT {
    static final String PHI = "Zebulon-Quux-555-12-3456";
    private static final String GOOD = "{\"resourceType\":\"Patient\",\"id\":\"p%d\","
            + "\"name\":[{\"family\":\"" + PHI + "\"}]}";

    /**
     * A bad body, how many good records precede the fault, and what the message must say.
     *
     * @param name what is wrong
     * @param contentType the content type served
     * @param body the body served
     * @param goodBefore the records delivered before the failure
     * @param expected text the message must contain
     */
    record Case(String name, String contentType, String body, int goodBefore, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> searchPages() {
        String two = String.format(GOOD, 1) + "},{\"resource\":" + String.format(GOOD, 2);
        String head = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{"
                + "\"resource\":";
        return Stream.of(
                new Case("malformed JSON", "application/fhir+json", head + two
                        + "},{\"resource\":{\"resourceType\":\"Patient\",\"id\":" + PHI + "}}]}",
                        2, "malformed JSON at line 1"),
                new Case("truncated page", "application/fhir+json", head + two
                        + "},{\"resource\":{\"resourceType\":\"Patient\",\"name\":\"" + PHI,
                        2, "truncated"),
                new Case("wrong content type", "application/xml", "<Bundle>" + PHI
                        + "</Bundle>", 0, "content type application/xml"),
                new Case("HTML error page with 200", "text/html", "<html><body>Error for "
                        + PHI + "</body></html>", 0, "content type text/html"),
                new Case("no content type", null, head + two + "}]}", 0,
                        "content type (none)"),
                new Case("entry without resource", "application/fhir+json", head + two
                        + "},{\"fullUrl\":\"" + PHI + "\"}]}", 2, "entry has no resource"),
                new Case("resource without resourceType", "application/fhir+json", head + two
                        + "},{\"resource\":{\"id\":\"" + PHI + "\"}}]}", 2, "no resourceType"),
                new Case("resource of another type", "application/fhir+json", head + two
                        + "},{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"" + PHI
                        + "\"}}]}", 2, "is a Observation, expected Patient"),
                new Case("Bundle without type", "application/fhir+json",
                        "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":" + two + "}]}",
                        2, "the Bundle has no type"),
                new Case("not a Bundle", "application/fhir+json",
                        "{\"resourceType\":\"Patient\",\"id\":\"" + PHI + "\"}", 0,
                        "not a Bundle"),
                new Case("entry is not an object", "application/fhir+json",
                        head + two + "},\"" + PHI + "\"]}", 2, "entry is a JSON string"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("searchPages")
    void read_badSearchPage_failsNamingUrlAndPositionNeverThePayload(Case bad) {
        try (LoopbackServer server = LoopbackServer.start();
                CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            server.route("/fhir/Patient", (request, reply) -> reply.send(200, bad.contentType(),
                    bad.body().getBytes(StandardCharsets.UTF_8)));
            Source source = FhirSearchSource.builder().baseUrl(server.uri("/fhir"))
                    .http(HttpOptions.builder().allowPlainHttp(true).build())
                    .search("Patient", "name=" + PHI).build();

            Reading.Outcome outcome = Reading.untilFailure(source, source.discover().get(0));

            assertThat(outcome.rows()).hasSize(bad.goodBefore());
            PhiCourierException failure = outcome.failure().orElseThrow();
            assertThat(failure).isInstanceOf(SourceException.class);
            assertThat(failure.getMessage())
                    .contains("GET " + server.uri("/fhir/Patient") + " answered")
                    .contains("stream 'Patient', record " + (bad.goodBefore() + 1))
                    .contains(bad.expected());
            assertNoPhi(failure, logs);
        }
    }

    static Stream<Arguments> ndjsonFiles() {
        String good = String.format(GOOD, 1) + "\n" + String.format(GOOD, 2) + "\n";
        return Stream.of(
                new Case("truncated NDJSON line", "application/fhir+ndjson", good
                        + "{\"resourceType\":\"Patient\",\"id\":\"p3\",\"name\":\"" + PHI, 2,
                        "line 3"),
                new Case("malformed NDJSON line", "application/fhir+ndjson", good
                        + "{\"resourceType\":\"Patient\",\"id\":" + PHI + "}\n", 2,
                        "malformed JSON at line 3"),
                new Case("NDJSON line not an object", "application/fhir+ndjson", good
                        + "[\"" + PHI + "\"]\n", 2, "line 3 is not a JSON object"),
                new Case("NDJSON resource without id", "application/fhir+ndjson", good
                        + "{\"resourceType\":\"Patient\",\"name\":\"" + PHI + "\"}\n", 2,
                        "(line 3): GET"),
                new Case("HTML instead of NDJSON", "text/html", "<html>" + PHI + "</html>", 0,
                        "content type text/html"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ndjsonFiles")
    void read_badExportFile_failsNamingUrlAndLineNeverThePayload(Case bad) {
        try (LoopbackServer server = LoopbackServer.start();
                CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            String base = server.uri("").toString();
            server.route("/fhir/$export", (request, reply) -> reply.header("Content-Location",
                    base + "/status").empty(202));
            server.route("/status", (request, reply) -> reply.send(200, "application/json",
                    "{\"transactionTime\":\"2024-08-06T18:12:57Z\",\"requiresAccessToken\":true,"
                    + "\"output\":[{\"type\":\"Patient\",\"url\":\"" + base
                    + "/files/Patient.ndjson?sig=" + PHI + "\"}],\"error\":[]}"));
            server.route("/files", (request, reply) -> reply.send(200, bad.contentType(),
                    bad.body().getBytes(StandardCharsets.UTF_8)));
            try (var source = org.phicourier.http.fhir.FhirBulkSource.builder()
                    .baseUrl(server.uri("/fhir"))
                    .http(HttpOptions.builder().allowPlainHttp(true).build()).system().build()) {
                Reading.Outcome outcome = Reading.untilFailure(source, source.discover().get(0));

                assertThat(outcome.rows()).hasSize(bad.goodBefore());
                PhiCourierException failure = outcome.failure().orElseThrow();
                assertThat(failure.getMessage())
                        .contains("GET " + server.uri("/files/Patient.ndjson") + " answered")
                        .contains("stream 'Patient', record " + (bad.goodBefore() + 1))
                        .contains(bad.expected());
                assertNoPhi(failure, logs);
            }
        }
    }

    static Stream<Arguments> restPages() {
        String two = "{\"id\":1,\"name\":\"" + PHI + "\"},{\"id\":2}";
        return Stream.of(
                new Case("records path missing", "application/json", "{\"items\":[" + two
                        + "]}", 0, "no array at JSON pointer '/data'"),
                new Case("records path not an array", "application/json", "{\"data\":{\"x\":\""
                        + PHI + "\"}}", 0, "'/data' is not an array"),
                new Case("record not an object", "application/json", "{\"data\":[" + two
                        + ",\"" + PHI + "\"]}", 2, "record is a JSON string"),
                new Case("two JSON values", "application/json", "{\"data\":[" + two + "]} {\""
                        + PHI + "\":1}", 2, "more than one JSON value"),
                new Case("control character in a string", "application/json", "{\"data\":["
                        + two + ",{\"name\":\"" + PHI + "\u0001\"}]}", 2, "malformed JSON"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restPages")
    void read_badRestPage_failsNamingUrlAndPositionNeverThePayload(Case bad) {
        try (LoopbackServer server = LoopbackServer.start();
                CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            server.route("/v1/people", (request, reply) -> reply.send(200, bad.contentType(),
                    bad.body().getBytes(StandardCharsets.UTF_8)));
            RestSource source = RestSource.builder().baseUrl(server.uri("/"))
                    .http(HttpOptions.builder().allowPlainHttp(true).build())
                    .stream(RestStream.builder("people").path("/v1/people")
                            .queryParam("name", PHI).recordsAt("/data").build())
                    .build();

            Reading.Outcome outcome = Reading.untilFailure(source, source.discover().get(0));

            assertThat(outcome.rows()).hasSize(bad.goodBefore());
            PhiCourierException failure = outcome.failure().orElseThrow();
            assertThat(failure.getMessage()).contains("GET " + server.uri("/v1/people"))
                    .contains(bad.expected());
            assertNoPhi(failure, logs);
        }
    }

    private static void assertNoPhi(Throwable failure, CapturedLogs logs) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(PHI)
                    .doesNotContain("555-12-3456");
        }
        assertThat(logs.text()).doesNotContain(PHI);
    }

    static List<String> names() {
        return List.of(PHI);
    }
}
