package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Optional;

/**
 * What a fully read page tells about the next one.
 *
 * @param uri the URL of the page
 * @param number the one-based page number
 * @param headers the response headers
 * @param captured the values captured from the body, by pointer
 * @param elements how many elements its records array held
 * @param recordsFound whether the body had a value at the records pointer
 */
public record PageInfo(URI uri, int number, HttpHeaders headers,
        Map<JsonPointer, JsonNode> captured, long elements, boolean recordsFound) {
    /**
     * Returns a captured value that is neither null nor missing.
     *
     * @param pointer where it was captured
     * @return the value
     */
    public Optional<JsonNode> value(JsonPointer pointer) {
        return Optional.ofNullable(captured.get(pointer)).filter(n -> !n.isNull());
    }

    /**
     * Describes the page for messages: its number and URL without query.
     *
     * @return for example {@code page 3 of https://api.example/v1/items}
     */
    public String describe() {
        return "page " + number + " of " + Urls.redact(uri);
    }
}
