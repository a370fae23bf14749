package org.phicourier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.SourceException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.testing.LoopbackServer;

/**
 * Each pagination style against an API of {@value #TOTAL} records served in pages of
 * {@value #SIZE}: every record arrives exactly once and the stream stops where it should.
 */
class PaginationIT {
    static final int TOTAL = 23;
    static final int SIZE = 5;

    private LoopbackServer server;

    @BeforeEach
    void start() {
        server = LoopbackServer.start();
        server.route("/api/items", this::serve);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Serves records [from, from + SIZE) with every kind of next-page hint at once. */
    private void serve(LoopbackServer.Request request, LoopbackServer.Reply reply)
            throws java.io.IOException {
        int from = request.param("offset").map(Integer::parseInt)
                .or(() -> request.param("page").map(p -> (Integer.parseInt(p) - 1) * SIZE))
                .or(() -> request.param("cursor").map(c -> Integer.parseInt(c.substring(1))))
                .orElse(0);
        int to = Math.min(TOTAL, from + SIZE);
        boolean more = to < TOTAL;
        StringBuilder body = new StringBuilder("{\"meta\":{\"total\":" + TOTAL
                + ",\"has_more\":" + more + ",\"next_cursor\":"
                + (more ? "\"c" + to + "\"" : "null")
                + "},\"links\":{\"next\":" + (more ? "\"items?offset=" + to + "\"" : "null")
                + "},\"resourceType\":\"Bundle\",\"link\":[" + (more ? "{\"relation\":\"next\","
                + "\"url\":\"" + server.uri("/api/items?offset=" + to) + "\"}" : "") + "],"
                + "\"data\":[");
        for (int i = from; i < to; i++) {
            body.append(i == from ? "" : ",").append("{\"id\":").append(i)
                    .append(",\"amount\":").append(i).append(".50,\"day\":\"2024-01-0")
                    .append(1 + i % 9).append("\",\"at\":\"2024-01-01T10:00:00+02:00\"}");
        }
        if (more) {
            reply.header("Link", "<" + server.uri("/api/items?offset=" + to) + ">; rel=\"next\"");
        }
        reply.send(200, "application/json", body.append("]}").toString());
    }

    static Stream<Arguments> styles() {
        return Stream.of(
                Arguments.of("next URL in body", Pagination.nextUrlInBody("/links/next"), 5),
                Arguments.of("FHIR Bundle link", Pagination.fhirNextLink(), 5),
                Arguments.of("Link header", Pagination.linkHeader(), 5),
                Arguments.of("cursor", Pagination.cursor("/meta/next_cursor", "cursor"), 5),
                Arguments.of("offset", Pagination.offset("offset", "limit", SIZE), 6),
                Arguments.of("page number", Pagination.pageNumber("page", 1, "per_page", SIZE),
                        6),
                Arguments.of("offset, stop at total", Pagination.offset("offset", "limit", SIZE)
                        .stopAtTotal("/meta/total"), 5),
                Arguments.of("offset, stop on short page", Pagination.offset("offset", "limit",
                        SIZE).stopOnShortPage(), 5),
                Arguments.of("page number, stop when has_more is false", Pagination.pageNumber(
                        "page", 1, "per_page", SIZE).stopWhenFalse("/meta/has_more"), 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void read_eachStyle_deliversEveryRecordOnceAndStops(String name, Pagination pagination,
            int requests) {
        List<Row> rows = read(pagination);

        assertThat(rows.stream().map(r -> ((JsonNode) r.get(0)).path("id").asInt()))
                .containsExactlyElementsOf(IntStream.range(0, TOTAL).boxed().toList());
        assertThat(server.requests("/api/items")).hasSize(requests);
    }

    @Test
    void read_maxPages_stopsAfterThem() {
        List<Row> rows = read(Pagination.linkHeader().maxPages(2));

        assertThat(rows).hasSize(2 * SIZE);
        assertThat(server.requests("/api/items")).hasSize(2);
    }

    @Test
    void read_bodyIsABareArray_readsItsElementsAsRecords() {
        server.route("/api/bare", (request, reply) -> reply.send(200, "application/json",
                "[{\"id\":1},{\"id\":2,\"nested\":{\"deep\":[1,2]}}]"));
        RestSource source = RestSource.builder().baseUrl(server.uri("/api")).http(local())
                .stream(RestStream.builder("bare").path("bare").build()).build();

        List<Row> rows = Reading.all(source).get("bare");

        assertThat(rows).hasSize(2);
        assertThat(((JsonNode) rows.get(1).get(0)).path("nested").path("deep").size())
                .isEqualTo(2);
        assertThat(source.discover().get(0).schema().field(0).name())
                .isEqualTo(RestStream.RECORD_FIELD);
    }

    @Test
    void read_offsetPagination_sendsOffsetAndLimit() {
        read(Pagination.offset("offset", "limit", SIZE));

        assertThat(server.requests("/api/items").get(1).query()).isEqualTo("limit=5&offset=5");
    }

    @Test
    void read_cursorThatRepeats_failsInsteadOfLooping() {
        server.route("/api/loop", (request, reply) -> reply.send(200, "application/json",
                "{\"data\":[{\"id\":1}],\"next\":\"same\"}"));
        RestSource source = RestSource.builder().baseUrl(server.uri("/api")).http(local())
                .stream(RestStream.builder("loop").path("loop").recordsAt("/data")
                        .pagination(Pagination.cursor("/next", "cursor")).build()).build();

        Reading.Outcome outcome = Reading.untilFailure(source, source.discover().get(0));

        assertThat(outcome.rows()).hasSize(2);
        assertThat(outcome.failure()).get().isInstanceOf(SourceException.class).asString()
                .contains("links back to a page already read");
    }

    @Test
    void read_flatSchema_convertsEachDeclaredPropertyWithoutLoss() {
        RestSource source = RestSource.builder().baseUrl(server.uri("/api")).http(local())
                .stream(RestStream.builder("items").path("items").recordsAt("/data")
                        .pagination(Pagination.linkHeader())
                        .fields(Field.of("id", FieldType.INT64),
                                Field.of("amount", FieldType.DECIMAL),
                                Field.of("day", FieldType.DATE),
                                Field.of("at", FieldType.TIMESTAMP_TZ),
                                Field.of("missing", FieldType.STRING))
                        .build()).build();

        List<Row> rows = Reading.all(source).get("items");

        assertThat(rows).hasSize(TOTAL);
        assertThat(rows.get(3).get(0)).isEqualTo(3L);
        assertThat(rows.get(3).get(1)).isEqualTo(new BigDecimal("3.50"));
        assertThat(rows.get(3).get(2)).isEqualTo(LocalDate.of(2024, 1, 4));
        assertThat(rows.get(3).get(3))
                .isEqualTo(OffsetDateTime.parse("2024-01-01T10:00:00+02:00"));
        assertThat(rows.get(3).isNull(4)).isTrue();
    }

    @Test
    void read_flatSchemaWithWrongKind_failsNamingTheFieldNotTheValue() {
        RestSource source = RestSource.builder().baseUrl(server.uri("/api")).http(local())
                .stream(RestStream.builder("items").path("items").recordsAt("/data")
                        .fields(Field.of("day", FieldType.INT32)).build()).build();

        assertThatThrownBy(() -> Reading.all(source)).isInstanceOf(SourceException.class)
                .hasMessageContaining("stream 'items', record 1")
                .hasMessageContaining("field 'day' holds a JSON string that cannot be read as"
                        + " INT32")
                .hasMessageNotContaining("2024-01");
    }

    private List<Row> read(Pagination pagination) {
        RestSource source = RestSource.builder().baseUrl(server.uri("/api")).http(local())
                .stream(RestStream.builder("items").path("items").recordsAt("/data")
                        .pagination(pagination).build()).batchSize(7).build();
        return Reading.all(source).get("items");
    }

    private static HttpOptions local() {
        return HttpOptions.builder().allowPlainHttp(true).build();
    }
}
