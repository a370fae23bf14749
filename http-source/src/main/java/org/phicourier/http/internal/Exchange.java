package org.phicourier.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A successful (2xx) response whose body has not been read yet. The caller reads the body once
 * and closes the exchange. Not thread-safe.
 */
public final class Exchange implements AutoCloseable {
    private final HttpCall call;
    private final int status;
    private final HttpHeaders headers;
    private final InputStream body;

    Exchange(HttpCall call, int status, HttpHeaders headers, InputStream body) {
        this.call = call;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Returns the call answered.
     *
     * @return the call
     */
    public HttpCall call() {
        return call;
    }

    /**
     * Returns the status code.
     *
     * @return a 2xx status
     */
    public int status() {
        return status;
    }

    /**
     * Returns the response headers.
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Returns the body as it arrives.
     *
     * @return the body stream
     */
    public InputStream body() {
        return body;
    }

    /**
     * Checks the content type before the body is read.
     *
     * @param ndjson true when newline-delimited JSON is expected, false for JSON
     * @throws BodyFault when the response is labelled as something else, such as an HTML error
     *     page; the exchange is closed and the body is not read
     */
    public void expectContent(boolean ndjson) {
        Optional<String> type = MediaTypes.of(headers);
        boolean ok = type.map(t -> ndjson ? MediaTypes.isNdjson(t) : MediaTypes.isJson(t))
                .orElse(false);
        if (!ok) {
            close();
            throw new BodyFault("HTTP " + status + " with content type " + type.orElse("(none)")
                    + ", expected " + (ndjson ? MediaTypes.NDJSON_EXPECTATION
                    : MediaTypes.JSON_EXPECTATION) + "; the body was not read");
        }
    }

    /**
     * Returns the URL that answered.
     *
     * @return the URL
     */
    public URI uri() {
        return call.uri();
    }

    /** Closes the body, abandoning what was not read. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // Nothing is left to release once the stream is abandoned.
        }
    }

    @Override
    public String toString() {
        return "Exchange[" + call.describe() + ", HTTP " + status + "]";
    }
}
