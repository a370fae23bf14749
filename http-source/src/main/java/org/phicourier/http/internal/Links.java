package org.phicourier.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Finds next-page links: in a FHIR Bundle's {@code link} array, or in RFC 8288 Link headers. */
public final class Links {
    private Links() {
    }

    /**
     * Finds the link whose relation is {@code next} in a FHIR Bundle's {@code link} array.
     *
     * @param links the array, when the Bundle has one
     * @return the URL text
     */
    public static Optional<String> fhirNext(Optional<JsonNode> links) {
        if (links.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode link : links.get()) {
            if ("next".equals(link.path("relation").asText())) {
                return Optional.of(link.path("url").asText("")).filter(u -> !u.isBlank());
            }
        }
        return Optional.empty();
    }

    /**
     * Finds the target of relation {@code next} in the {@code Link} headers (RFC 8288), which may
     * list several links per header and several relations per link.
     *
     * @param headers the response headers
     * @return the URL text
     */
    public static Optional<String> headerNext(HttpHeaders headers) {
        for (String value : headers.allValues("Link")) {
            Optional<String> next = nextIn(value);
            if (next.isPresent()) {
                return next;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nextIn(String header) {
        int at = 0;
        while (true) {
            int open = header.indexOf('<', at);
            int close = open < 0 ? -1 : header.indexOf('>', open);
            if (close < 0) {
                return Optional.empty();
            }
            int end = paramsEnd(header, close + 1);
            if (isNext(header.substring(close + 1, end))) {
                return Optional.of(header.substring(open + 1, close).strip());
            }
            at = end;
        }
    }

    /** Finds the comma that ends a link's parameters, skipping commas inside quotes. */
    private static int paramsEnd(String header, int from) {
        boolean quoted = false;
        for (int i = from; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return header.length();
    }

    private static boolean isNext(String params) {
        for (String param : params.split(";")) {
            String[] pair = param.split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("rel")) {
                String relations = pair[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
                if (Arrays.asList(relations.split("\\s+")).contains("next")) {
                    return true;
                }
            }
        }
        return false;
    }
}
