package org.phicourier.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.phicourier.SourceException;
import org.phicourier.http.AuthHeader;
import org.phicourier.http.HttpOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests with the options of one source: transport check, rate limit, authentication
 * (refreshed once on 401), retries with backoff and {@code Retry-After} within the per-request
 * limit and the source's budget, and timeouts. Only 2xx responses come back; every other outcome
 * fails with a message naming the method, the URL without query, and the status. Thread-safe.
 */
public final class HttpExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(HttpExecutor.class);
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final HttpClient client;
    private final HttpOptions options;
    private final RetryBudget budget;
    private final RateLimiter limiter;
    private final Clock clock;

    private HttpExecutor(HttpClient client, HttpOptions options) {
        this.client = client;
        this.options = options;
        this.budget = new RetryBudget(options.retryPolicy().retryBudget());
        this.limiter = new RateLimiter(options.requestsPerSecond());
        this.clock = Clock.systemUTC();
    }

    /**
     * Creates an executor with a client of its own.
     *
     * @param options the source's options
     * @return the executor
     */
    public static HttpExecutor create(HttpOptions options) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        options.sslContext().ifPresent(builder::sslContext);
        return new HttpExecutor(builder.build(), options);
    }

    /**
     * Returns the options this executor applies.
     *
     * @return the options
     */
    public HttpOptions options() {
        return options;
    }

    /**
     * Spends one retry of the source's budget, for a caller that repeats a request whose body
     * broke off.
     *
     * @return true when the budget allowed it
     */
    public boolean spendRetry() {
        return budget.spend();
    }

    /**
     * Sends a call until it succeeds or cannot succeed.
     *
     * @param call the request
     * @return the 2xx response, body unread
     * @throws org.phicourier.ConfigurationException when the URL is plain HTTP without
     *     permission, or credentials are missing
     * @throws SourceException when the server fails the request, the retries or the budget run
     *     out, or the thread is interrupted
     */
    public Exchange send(HttpCall call) {
        Urls.checkTransport(call.uri(), options.allowPlainHttp(), "URL");
        Attempts attempts = new Attempts(call);
        while (true) {
            Optional<Exchange> done = attemptOnce(call, attempts);
            if (done.isPresent()) {
                return done.get();
            }
        }
    }

    /** Makes one attempt; yields the exchange on success, nothing when worth another try. */
    private Optional<Exchange> attemptOnce(HttpCall call, Attempts attempts) {
        limiter.acquire();
        Optional<AuthHeader> auth = call.authenticated() ? options.auth().header()
                : Optional.empty();
        Optional<HttpResponse<InputStream>> answer = attempt(call, auth, attempts);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<InputStream> response = answer.get();
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Optional.of(new Exchange(call, status, response.headers(), response.body()));
        }
        if (status == 401 && auth.isPresent() && !attempts.refreshed) {
            close(response.body());
            refresh(call, auth.get(), attempts);
            return Optional.empty();
        }
        if (call.retryable(status)) {
            attempts.afterStatus(status, response);
            return Optional.empty();
        }
        throw failure(call, status, outcome(response), attempts.refreshed);
    }

    private void refresh(HttpCall call, AuthHeader rejected, Attempts attempts) {
        attempts.refreshed = options.auth().refreshAfterRejection(rejected);
        if (!attempts.refreshed) {
            throw failure(call, 401, "", false);
        }
        LOG.debug("{}: HTTP 401, credentials refreshed", call.describe());
    }

    /** Sends once; a connection failure is paced by the attempts and yields nothing. */
    private Optional<HttpResponse<InputStream>> attempt(HttpCall call,
            Optional<AuthHeader> auth, Attempts attempts) {
        try {
            return Optional.of(client.send(request(call, auth),
                    StreamingBody.handler(options.readTimeout())));
        } catch (IOException e) {
            attempts.afterConnectionFailure(e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(call.describe() + ": interrupted");
        }
    }

    private HttpRequest request(HttpCall call, Optional<AuthHeader> auth) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .timeout(options.requestTimeout())
                .header("User-Agent", options.userAgent());
        if (call.uri().getScheme().equalsIgnoreCase("http")) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        call.headers().forEach(builder::header);
        auth.ifPresent(header -> builder.header(header.name(), header.value()));
        HttpRequest.BodyPublisher body = call.body()
                .map(HttpRequest.BodyPublishers::ofByteArray)
                .orElse(HttpRequest.BodyPublishers.noBody());
        return builder.method(call.method(), body).build();
    }

    private SourceException failure(HttpCall call, int status, String outcome,
            boolean refreshed) {
        String after = status == 401 ? (refreshed ? " after the credentials were refreshed"
                : " (the credentials were refused)") : "";
        return new SourceException(call.describe() + ": HTTP " + status + " " + reason(status)
                + after + ", not retried" + outcome);
    }

    /** Reads a bounded error body and summarises it when it is an OperationOutcome. */
    private static String outcome(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            boolean json = MediaTypes.of(response.headers()).map(MediaTypes::isJson)
                    .orElse(false);
            if (!json) {
                return "";
            }
            byte[] bytes = body.readNBytes(ERROR_BODY_LIMIT);
            JsonNode node = Json.MAPPER.readTree(bytes);
            return node != null && OperationOutcomes.is(node)
                    ? "; the server reports " + OperationOutcomes.summary(node) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 300 && status < 400 ? "(redirects are not followed)" : "";
        };
    }

    static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // An abandoned error body has nothing worth keeping.
        }
    }

    @Override
    public String toString() {
        return "HttpExecutor[" + options + ", " + budget + "]";
    }

    /** Counts and paces the attempts of one call. */
    private final class Attempts {
        private final HttpCall call;
        private int retries;
        private boolean refreshed;
        private String lastProblem = "";

        Attempts(HttpCall call) {
            this.call = call;
        }

        void afterConnectionFailure(IOException e) {
            lastProblem = JsonFaults.describe(e);
            retry(Optional.empty());
        }

        void afterStatus(int status, HttpResponse<InputStream> response) {
            close(response.body());
            lastProblem = "HTTP " + status + " " + reason(status);
            retry(RetryAfter.of(response.headers(), clock));
        }

        private void retry(Optional<Duration> asked) {
            int max = options.retryPolicy().maxRetries();
            if (retries >= max) {
                throw new SourceException(call.describe() + ": " + lastProblem + " on "
                        + (retries + 1) + " attempts; giving up after " + max + " retries");
            }
            Duration maxAsked = options.retryPolicy().maxRetryAfter();
            if (asked.isPresent() && asked.get().compareTo(maxAsked) > 0) {
                throw new SourceException(call.describe() + ": " + lastProblem + "; the server"
                        + " asks to wait " + asked.get().toSeconds() + " s, longer than the "
                        + maxAsked.toSeconds() + " s allowed (maxRetryAfter)");
            }
            if (!budget.spend()) {
                throw new SourceException(call.describe() + ": " + lastProblem + "; the retry"
                        + " budget of " + budget.total() + " retries for this source is spent");
            }
            retries++;
            Duration wait = asked.orElseGet(this::backoff);
            LOG.warn("{}: {}; retry {} of {} in {} ms{}", call.describe(), lastProblem, retries,
                    max, wait.toMillis(), asked.isPresent() ? " (Retry-After)" : "");
            Sleep.of(wait, "waiting to retry " + call.describe());
        }

        private Duration backoff() {
            long initial = options.retryPolicy().initialBackoff().toMillis();
            long cap = options.retryPolicy().maxBackoff().toMillis();
            long exponential = Math.min(cap, initial << Math.min(retries, 20));
            long half = Math.max(1, exponential / 2);
            return Duration.ofMillis(half + java.util.concurrent.ThreadLocalRandom.current()
                    .nextLong(half + 1));
        }
    }
}
