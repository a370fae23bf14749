package org.phicourier.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on the loopback interface for tests, built on the JDK's HTTP server: routes
 * requests by path prefix to handlers and records every request (method, path, query, headers,
 * body, arrival time) before its handler runs.
 */
public final class LoopbackServer implements AutoCloseable {
    static {
        // Without TCP_NODELAY each answer waits ~40 ms for the client's delayed ACK (Nagle).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final List<Request> requests = new ArrayList<>();

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Answers a request.
         *
         * @param request what arrived
         * @param reply where the answer goes
         * @throws IOException when the answer cannot be written
         */
        void handle(Request request, Reply reply) throws IOException;
    }

    /**
     * One recorded request.
     *
     * @param method the method
     * @param path the decoded path
     * @param query the raw query string, empty when there is none
     * @param headers the headers, names in lower case
     * @param body the body bytes
     * @param arrivedNanos {@link System#nanoTime()} at arrival
     */
    public record Request(String method, String path, String query,
            Map<String, List<String>> headers, byte[] body, long arrivedNanos) {
        /**
         * Returns the first value of a header.
         *
         * @param name the header name, any case
         * @return the value
         */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty()
                    : Optional.of(values.get(0));
        }

        /**
         * Returns the decoded values of a query parameter.
         *
         * @param name the parameter name
         * @return the values in order; empty when absent
         */
        public List<String> params(String name) {
            List<String> values = new ArrayList<>();
            if (query.isEmpty()) {
                return values;
            }
            for (String pair : query.split("&")) {
                String[] parts = pair.split("=", 2);
                if (decode(parts[0]).equals(name)) {
                    values.add(parts.length > 1 ? decode(parts[1]) : "");
                }
            }
            return values;
        }

        /**
         * Returns the first decoded value of a query parameter.
         *
         * @param name the parameter name
         * @return the value
         */
        public Optional<String> param(String name) {
            List<String> values = params(name);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        private static String decode(String text) {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Writes the answer of one request. */
    public static final class Reply {
        private final HttpExchange exchange;
        private boolean sent;

        Reply(HttpExchange exchange) {
            this.exchange = exchange;
        }

        /**
         * Adds a response header.
         *
         * @param name the name
         * @param value the value
         * @return this reply
         */
        public Reply header(String name, String value) {
            exchange.getResponseHeaders().add(name, value);
            return this;
        }

        /**
         * Sends a complete body.
         *
         * @param status the status
         * @param contentType the content type; no header when null
         * @param body the body
         * @throws IOException when writing fails
         */
        public void send(int status, String contentType, byte[] body) throws IOException {
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            sent = true;
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }

        /**
         * Sends a text body in UTF-8.
         *
         * @param status the status
         * @param contentType the content type
         * @param body the body
         * @throws IOException when writing fails
         */
        public void send(int status, String contentType, String body) throws IOException {
            send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sends a status without body.
         *
         * @param status the status
         * @throws IOException when writing fails
         */
        public void empty(int status) throws IOException {
            send(status, null, new byte[0]);
        }

        /**
         * Starts a body of announced length; a handler that writes less and fails makes the
         * connection break off midway, as a dropped connection does.
         *
         * @param status the status
         * @param contentType the content type
         * @param length the announced body length
         * @return the body stream
         * @throws IOException when writing fails
         */
        public OutputStream fixedLength(int status, String contentType, long length)
                throws IOException {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            sent = true;
            exchange.sendResponseHeaders(status, length);
            return exchange.getResponseBody();
        }

        /**
         * Starts a chunked body; the caller writes and closes it.
         *
         * @param status the status
         * @param contentType the content type
         * @return the body stream
         * @throws IOException when writing fails
         */
        public OutputStream stream(int status, String contentType) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            sent = true;
            exchange.sendResponseHeaders(status, 0);
            return exchange.getResponseBody();
        }
    }

    private LoopbackServer() throws IOException {
        this.server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        this.workers = Executors.newFixedThreadPool(8);
        server.setExecutor(workers);
    }

    /**
     * Starts a server with no routes on a free loopback port.
     *
     * @return the server
     */
    public static LoopbackServer start() {
        try {
            LoopbackServer loopback = new LoopbackServer();
            loopback.server.start();
            return loopback;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a loopback HTTP server", e);
        }
    }

    /**
     * Routes requests whose path starts with a prefix to a handler.
     *
     * @param prefix the path prefix, such as {@code /fhir}
     * @param handler the handler
     * @return this server
     */
    public LoopbackServer route(String prefix, Handler handler) {
        server.createContext(prefix, exchange -> serve(exchange, handler));
        return this;
    }

    private void serve(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            Request request = record(exchange);
            Reply reply = new Reply(exchange);
            try {
                handler.handle(request, reply);
            } catch (IOException | RuntimeException e) {
                if (!reply.sent) {
                    reply.send(500, "text/plain", "fake server failed: " + e);
                }
            }
        }
    }

    private Request record(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        byte[] body = exchange.getRequestBody().readAllBytes();
        URI uri = exchange.getRequestURI();
        Request request = new Request(exchange.getRequestMethod(), uri.getPath(),
                Optional.ofNullable(uri.getRawQuery()).orElse(""), Map.copyOf(headers), body,
                arrived);
        synchronized (requests) {
            requests.add(request);
        }
        return request;
    }

    /**
     * Returns a URL on this server.
     *
     * @param pathAndQuery for example {@code /fhir/Patient?_count=7}
     * @return the absolute URL
     */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /**
     * Returns the port.
     *
     * @return the bound port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Returns the requests recorded so far, in arrival order.
     *
     * @return a copy
     */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * Returns the recorded requests whose path starts with a prefix.
     *
     * @param prefix the path prefix
     * @return a copy
     */
    public List<Request> requests(String prefix) {
        return requests().stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    @Override
    public String toString() {
        return "LoopbackServer[" + uri("") + "]";
    }
}
