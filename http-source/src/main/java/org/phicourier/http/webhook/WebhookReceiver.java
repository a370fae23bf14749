package org.phicourier.http.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.phicourier.ConfigurationException;
import org.phicourier.http.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable HTTP endpoint that takes JSON webhook events, checks each one's HMAC signature
 * and timestamp (see {@link WebhookSignature}), and acknowledges it with 200 only after it is
 * durably held, encrypted, in a {@link WebhookSpool}. A {@link WebhookSource} drains the spool
 * into a pipeline. An event that was acknowledged survives the death of the process at any
 * moment; an event that was not must be sent again by its sender, and a repeated delivery is
 * held once.
 *
 * <p>Answers: 200 held (or already held); 401 for a bad or missing signature, or a timestamp
 * outside the tolerance (replay protection); 400 for a body that is not a JSON object; 404, 405,
 * 413 and 415 for a wrong path, method, size or content type; 503 when the spool cannot write.
 * Refusals are counted in {@link #stats()} and logged without any body content.
 *
 * <p>TLS is on when {@link Builder#tls} is given; plain HTTP needs {@link Builder#allowPlainHttp}.
 * Unless the system property {@code sun.net.httpserver.nodelay} is already set, loading this class
 * sets it to {@code true}: without it the JDK's server holds each small answer back until the
 * client's delayed acknowledgement (about 40 ms). Instances are thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {
    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final WebhookSpool spool;
    private final Secret secret;
    private final String path;
    private final String signatureHeader;
    private final String timestampHeader;
    private final Duration tolerance;
    private final int maxBodyBytes;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong badSignature = new AtomicLong();
    private final AtomicLong badTimestamp = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final AtomicLong spoolFailures = new AtomicLong();

    /** An answer: status and a short JSON body that never holds event content. */
    private record Answer(int status, String text) {
    }

    private WebhookReceiver(Builder builder) throws IOException {
        this.spool = builder.spool;
        this.secret = builder.secret;
        this.path = builder.path;
        this.signatureHeader = builder.signatureHeader;
        this.timestampHeader = builder.timestampHeader;
        this.tolerance = builder.tolerance;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.clock = builder.clock;
        this.server = builder.tls == null ? HttpServer.create(builder.address, 256)
                : HttpsServer.create(builder.address, 256);
        if (server instanceof HttpsServer) {
            ((HttpsServer) server).setHttpsConfigurator(new HttpsConfigurator(builder.tls));
        }
        this.workers = Executors.newFixedThreadPool(builder.threads);
        server.setExecutor(workers);
        server.createContext(path, this::handle);
    }

    /**
     * Starts building a receiver.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts accepting requests.
     *
     * @return this receiver
     */
    public WebhookReceiver start() {
        server.start();
        LOG.info("webhook receiver listening on {}{}", address(), path);
        return this;
    }

    /**
     * Returns the address the receiver listens on, with the port actually bound.
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Returns the counts of what the receiver did so far.
     *
     * @return the counts
     */
    public WebhookStats stats() {
        return new WebhookStats(accepted.get(), duplicates.get(), badSignature.get(),
                badTimestamp.get(), other.get(), spoolFailures.get());
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Answer answer = answer(exchange);
            byte[] body = ("{\"status\":\"" + answer.text() + "\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (answer.status() == 503) {
                exchange.getResponseHeaders().set("Retry-After", "5");
            }
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("a webhook request ended early ({})", e.getClass().getName());
        }
    }

    private Answer answer(HttpExchange exchange) throws IOException {
        Optional<Answer> refusal = checkRequest(exchange);
        if (refusal.isPresent()) {
            other.incrementAndGet();
            return refusal.get();
        }
        // Reading up to the limit (not stopping at Content-Length) lets the 413 reach a sender
        // that is still uploading; what is left is drained or the connection closed.
        byte[] body = readBody(exchange.getRequestBody());
        if (body.length > maxBodyBytes) {
            other.incrementAndGet();
            return new Answer(413, "too large");
        }
        String signature = exchange.getRequestHeaders().getFirst(signatureHeader);
        Optional<Long> timestamp = timestamp(exchange);
        if (signature == null) {
            return refuseSignature();
        }
        if (timestamp.isEmpty()) {
            return refuseTimestamp();
        }
        if (!WebhookSignature.verify(secret.get(), timestamp.get(), body, signature)) {
            return refuseSignature();
        }
        if (!fresh(timestamp.get())) {
            return refuseTimestamp();
        }
        return hold(WebhookSignature.eventId(signature), body);
    }

    private Answer refuseSignature() {
        badSignature.incrementAndGet();
        LOG.warn("webhook event refused: missing or wrong signature");
        return new Answer(401, "bad signature");
    }

    private Answer refuseTimestamp() {
        badTimestamp.incrementAndGet();
        LOG.warn("webhook event refused: timestamp missing or outside the {} s tolerance",
                tolerance.toSeconds());
        return new Answer(401, "stale or missing timestamp");
    }

    private Optional<Answer> checkRequest(HttpExchange exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            return Optional.of(new Answer(404, "not found"));
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            return Optional.of(new Answer(405, "method not allowed"));
        }
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            return Optional.of(new Answer(415, "unsupported media type"));
        }
        return Optional.empty();
    }

    private byte[] readBody(InputStream in) throws IOException {
        try (in) {
            return in.readNBytes(maxBodyBytes + 1);
        }
    }

    private Optional<Long> timestamp(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst(timestampHeader);
        if (value == null || !value.strip().matches("\\d{1,12}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(value.strip()));
    }

    private boolean fresh(long timestamp) {
        return Math.abs(clock.instant().getEpochSecond() - timestamp) <= tolerance.toSeconds();
    }

    private Answer hold(String eventId, byte[] body) {
        if (!isJsonObject(body)) {
            other.incrementAndGet();
            return new Answer(400, "not a JSON object");
        }
        try {
            if (spool.hold(eventId, body)) {
                accepted.incrementAndGet();
                return new Answer(200, "held");
            }
            duplicates.incrementAndGet();
            return new Answer(200, "already held");
        } catch (IOException | RuntimeException e) {
            spoolFailures.incrementAndGet();
            LOG.error("webhook event {} could not be spooled ({}); answered 503", eventId,
                    e.getClass().getName());
            return new Answer(503, "not held");
        }
    }

    private static boolean isJsonObject(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops accepting requests, lets running ones finish for up to a second, and stops. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("webhook receiver stopped: {}", stats());
    }

    @Override
    public String toString() {
        return "WebhookReceiver[" + address() + path + ", " + spool + ", secret " + secret + "]";
    }

    /** Builds a {@link WebhookReceiver}; mutable and not thread-safe. */
    public static final class Builder {
        private WebhookSpool spool;
        private Secret secret;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0);
        private String path = "/events";
        private String signatureHeader = "X-Signature";
        private String timestampHeader = "X-Timestamp";
        private Duration tolerance = Duration.ofMinutes(5);
        private int maxBodyBytes = 1024 * 1024;
        private int threads = 8;
        private SSLContext tls;
        private boolean allowPlainHttp;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the spool events are held in. Required.
         *
         * @param spool the spool
         * @return this builder
         */
        public Builder spool(WebhookSpool spool) {
            this.spool = Objects.requireNonNull(spool, "spool");
            return this;
        }

        /**
         * Sets the secret shared with the senders. Required.
         *
         * @param secret the secret; read on each request, so rotation takes effect at once
         * @return this builder
         */
        public Builder signingSecret(Secret secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * Sets the address to listen on; the loopback interface on a free port by default.
         *
         * @param address the address and port (0 for any free port)
         * @return this builder
         */
        public Builder bind(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets the path events are posted to; {@code /events} by default.
         *
         * @param path an absolute path
         * @return this builder
         */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Sets the header names of the signature and the timestamp; {@code X-Signature} and
         * {@code X-Timestamp} by default.
         *
         * @param signature the signature header
         * @param timestamp the timestamp header
         * @return this builder
         */
        public Builder headers(String signature, String timestamp) {
            this.signatureHeader = Objects.requireNonNull(signature, "signature");
            this.timestampHeader = Objects.requireNonNull(timestamp, "timestamp");
            return this;
        }

        /**
         * Sets how far an event's timestamp may be from the receiver's clock; 5 minutes by
         * default. Older (or later) events are refused as possible replays.
         *
         * @param tolerance positive
         * @return this builder
         */
        public Builder tolerance(Duration tolerance) {
            this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
            return this;
        }

        /**
         * Sets the largest body accepted; 1 MiB by default.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * Sets how many requests are handled at once; 8 by default.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        /**
         * Serves HTTPS with a TLS context (server certificate and key).
         *
         * @param context the context
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Allows serving plain HTTP, for a receiver behind a TLS-terminating proxy on the same
         * host or in tests; off by default.
         *
         * @param allow true to allow plain HTTP
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Sets the clock timestamps are checked against; the system clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the receiver and binds its port; call {@link WebhookReceiver#start()} to serve.
         *
         * @return the receiver
         * @throws ConfigurationException when a required setting is missing or out of range,
         *     neither TLS nor plain HTTP is allowed, or the port cannot be bound
         */
        public WebhookReceiver build() {
            if (spool == null || secret == null) {
                throw new ConfigurationException("webhook receiver: spool and signingSecret are"
                        + " required");
            }
            if (!path.startsWith("/") || maxBodyBytes < 1 || threads < 1
                    || tolerance.isNegative() || tolerance.isZero()) {
                throw new ConfigurationException("webhook receiver: path must start with '/',"
                        + " maxBodyBytes and threads be at least 1, tolerance positive");
            }
            if (tls == null && !allowPlainHttp) {
                throw new ConfigurationException("webhook receiver: give tls(SSLContext), or"
                        + " allowPlainHttp(true) behind a local TLS proxy or in tests");
            }
            try {
                return new WebhookReceiver(this);
            } catch (IOException e) {
                throw new ConfigurationException("webhook receiver: cannot listen on " + address
                        + " (" + e.getClass().getName() + ")");
            }
        }
    }
}
