package org.phicourier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.model.Row;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.testing.LoopbackServer;

class ResilienceIT {
    private static final String PAGE = "{\"data\":[{\"id\":1},{\"id\":2}]}";

    private LoopbackServer server;

    @BeforeEach
    void start() {
        server = LoopbackServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void read_429WithRetryAfterTwoSecondsTwice_waitsAsAskedAndSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        server.route("/items", (request, reply) -> {
            if (calls.incrementAndGet() <= 2) {
                reply.header("Retry-After", "2").send(429, "application/json", "{}");
            } else {
                reply.send(200, "application/json", PAGE);
            }
        });

        List<Row> rows = readAll(options(RetryPolicy.defaults()));

        assertThat(rows).hasSize(2);
        List<LoopbackServer.Request> requests = server.requests("/items");
        assertThat(requests).hasSize(3);
        for (int i = 1; i < requests.size(); i++) {
            long gap = requests.get(i).arrivedNanos() - requests.get(i - 1).arrivedNanos();
            assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void read_retryAfterAsHttpDate_waitsUntilThatDate() {
        AtomicInteger calls = new AtomicInteger();
        server.route("/items", (request, reply) -> {
            if (calls.incrementAndGet() == 1) {
                ZonedDateTime until = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2);
                reply.header("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(until))
                        .send(503, "application/json", "{}");
            } else {
                reply.send(200, "application/json", PAGE);
            }
        });

        assertThat(readAll(options(RetryPolicy.defaults()))).hasSize(2);
        List<LoopbackServer.Request> requests = server.requests("/items");
        long gap = requests.get(1).arrivedNanos() - requests.get(0).arrivedNanos();
        assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(990));
    }

    @Test
    void read_503Forever_failsAfterTheRetriesNamingTheUrlWithoutQuery() {
        server.route("/items", (request, reply) -> reply.send(503, "text/html", "<h1>down</h1>"));
        RetryPolicy policy = RetryPolicy.builder().maxRetries(3)
                .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40)).build();

        assertThatThrownBy(() -> readAll(options(policy)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("GET " + server.uri("/items"))
                .hasMessageContaining("HTTP 503 Service Unavailable on 4 attempts")
                .hasMessageNotContaining("secret-filter")
                .hasMessageNotContaining("down");
        assertThat(server.requests("/items")).hasSize(4);
    }

    @Test
    void read_503OnEveryPage_stopsWhenTheSourcesBudgetIsSpent() {
        AtomicInteger calls = new AtomicInteger();
        server.route("/items", (request, reply) -> {
            if (calls.incrementAndGet() % 2 == 1) {
                reply.send(503, "application/json", "{}");
            } else {
                String next = server.uri("/items?page=" + calls.get()).toString();
                reply.send(200, "application/json", "{\"data\":[{\"id\":" + calls.get()
                        + "}],\"next\":\"" + next + "\"}");
            }
        });
        RetryPolicy policy = RetryPolicy.builder().maxRetries(5).retryBudget(3)
                .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(10)).build();
        RestSource source = source(options(policy), Pagination.nextUrlInBody("/next"));

        Reading.Outcome outcome = Reading.untilFailure(source, source.discover().get(0));

        assertThat(outcome.rows()).hasSize(3);
        assertThat(outcome.failure()).get().asString()
                .contains("retry budget of 3 retries for this source is spent");
    }

    @Test
    void read_404WithOperationOutcome_failsAtOnceWithItsCodesButNotItsText() {
        server.route("/items", (request, reply) -> reply.send(404, "application/fhir+json",
                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                + "\"code\":\"not-found\",\"details\":{\"coding\":[{\"code\":\"MSG_NO_EXIST\"}],"
                + "\"text\":\"No patient Zebulon Smith\"},\"diagnostics\":\"Zebulon\"}]}"));

        assertThatThrownBy(() -> readAll(options(RetryPolicy.defaults())))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("HTTP 404 Not Found, not retried")
                .hasMessageContaining("error not-found [MSG_NO_EXIST]")
                .hasMessageNotContaining("Zebulon");
        assertThat(server.requests("/items")).hasSize(1);
    }

    @Test
    void read_serverNotListening_retriesThenFailsNamingTheConnectionFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RestSource source = RestSource.builder().baseUrl(URI.create("http://127.0.0.1:" + port))
                .http(options(RetryPolicy.builder().maxRetries(2)
                        .initialBackoff(Duration.ofMillis(5)).build()))
                .stream(RestStream.builder("items").path("/items").recordsAt("/data").build())
                .build();

        assertThatThrownBy(() -> Reading.all(source)).isInstanceOf(SourceException.class)
                .hasMessageContaining("java.net.ConnectException on 3 attempts");
    }

    @Test
    void read_fiveRequestsPerSecond_spacesRequestsOnTheServer() {
        AtomicInteger calls = new AtomicInteger();
        server.route("/items", (request, reply) -> {
            int n = calls.incrementAndGet();
            String next = n < 6 ? ",\"next\":\"/items?page=" + (n + 1) + "\"" : "";
            reply.send(200, "application/json", "{\"data\":[{\"id\":" + n + "}]" + next + "}");
        });
        HttpOptions limited = HttpOptions.builder().allowPlainHttp(true).requestsPerSecond(5)
                .build();

        Reading.all(source(limited, Pagination.nextUrlInBody("/next")));

        List<LoopbackServer.Request> requests = server.requests("/items");
        assertThat(requests).hasSize(6);
        long span = requests.get(5).arrivedNanos() - requests.get(0).arrivedNanos();
        assertThat(Duration.ofNanos(span)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void read_bodyStallsLongerThanTheReadTimeout_failsNamingTheTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.route("/items", (request, reply) -> {
            try (OutputStream out = reply.stream(200, "application/json")) {
                out.write("{\"data\":[{\"id\":1},".getBytes());
                out.flush();
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HttpOptions impatient = HttpOptions.builder().allowPlainHttp(true)
                .readTimeout(Duration.ofSeconds(2)).build();
        RestSource source = source(impatient, Pagination.none());

        Reading.Outcome outcome = Reading.untilFailure(source, source.discover().get(0));
        release.countDown();

        assertThat(outcome.rows()).hasSize(1);
        assertThat(outcome.failure()).get().asString().contains("HttpTimeoutException");
    }

    @Test
    void build_plainHttpWithoutPermission_isRefused() {
        assertThatThrownBy(() -> RestSource.builder().baseUrl(server.uri(""))
                .stream(RestStream.builder("items").path("/items").build()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is plain HTTP");
    }

    private List<Row> readAll(HttpOptions options) {
        RestSource source = source(options, Pagination.none());
        StreamDescriptor stream = source.discover().get(0);
        return Reading.stream(source, stream);
    }

    private RestSource source(HttpOptions options, Pagination pagination) {
        return RestSource.builder().baseUrl(server.uri("/")).http(options.toBuilder()
                .allowPlainHttp(true).build())
                .stream(RestStream.builder("items").path("/items")
                        .queryParam("filter", "secret-filter").recordsAt("/data")
                        .pagination(pagination).build())
                .build();
    }

    private static HttpOptions options(RetryPolicy policy) {
        return HttpOptions.builder().allowPlainHttp(true).retryPolicy(policy).build();
    }
}
