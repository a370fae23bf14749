package org.phicourier.http.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One request an HTTP source wants answered: method, URL, headers, an optional form body, whether
 * to authenticate, and which error statuses are worth retrying. Immutable.
 */
public final class HttpCall {
    /** The statuses retried by default. */
    public static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;
    private final boolean authenticate;
    private final Set<Integer> retryable;

    private HttpCall(String method, URI uri, Map<String, String> headers, byte[] body,
            boolean authenticate, Set<Integer> retryable) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
        this.authenticate = authenticate;
        this.retryable = retryable;
    }

    /**
     * Creates an authenticated GET.
     *
     * @param uri the URL
     * @return the call
     */
    public static HttpCall get(URI uri) {
        return new HttpCall("GET", Objects.requireNonNull(uri, "uri"), Map.of(), null, true,
                RETRYABLE);
    }

    /**
     * Creates an authenticated DELETE.
     *
     * @param uri the URL
     * @return the call
     */
    public static HttpCall delete(URI uri) {
        return new HttpCall("DELETE", Objects.requireNonNull(uri, "uri"), Map.of(), null, true,
                RETRYABLE);
    }

    /**
     * Creates an unauthenticated form POST, as token endpoints take.
     *
     * @param uri the URL
     * @param form the encoded form
     * @return the call
     */
    public static HttpCall postForm(URI uri, String form) {
        return new HttpCall("POST", Objects.requireNonNull(uri, "uri"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                form.getBytes(java.nio.charset.StandardCharsets.UTF_8), false, RETRYABLE);
    }

    /**
     * Returns the same request for another URL.
     *
     * @param other the URL
     * @return the changed call
     */
    public HttpCall to(URI other) {
        return new HttpCall(method, Objects.requireNonNull(other, "other"), headers, body,
                authenticate, retryable);
    }

    /**
     * Returns a copy with one more header.
     *
     * @param name the header name
     * @param value the header value
     * @return the changed call
     */
    public HttpCall header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpCall(method, uri, Map.copyOf(more), body, authenticate, retryable);
    }

    /**
     * Returns a copy that sends or omits the source's credentials.
     *
     * @param send true to authenticate
     * @return the changed call
     */
    public HttpCall authenticate(boolean send) {
        return new HttpCall(method, uri, headers, body, send, retryable);
    }

    /**
     * Returns a copy that retries only the given error statuses.
     *
     * @param statuses the statuses worth retrying
     * @return the changed call
     */
    public HttpCall retryOn(Set<Integer> statuses) {
        return new HttpCall(method, uri, headers, body, authenticate, Set.copyOf(statuses));
    }

    String method() {
        return method;
    }

    /**
     * Returns the URL.
     *
     * @return the URL
     */
    public URI uri() {
        return uri;
    }

    Map<String, String> headers() {
        return headers;
    }

    Optional<byte[]> body() {
        return Optional.ofNullable(body);
    }

    boolean authenticated() {
        return authenticate;
    }

    boolean retryable(int status) {
        return retryable.contains(status);
    }

    /**
     * Describes the call for messages: method and URL without query.
     *
     * @return for example {@code GET https://ehr.example/fhir/Patient}
     */
    public String describe() {
        return method + " " + Urls.redact(uri);
    }

    @Override
    public String toString() {
        return "HttpCall[" + describe() + "]";
    }
}
