package org.phicourier.http.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads points in time the server gives: FHIR instants and the HTTP {@code Date} header. */
final class ServerTimes {
    private ServerTimes() {
    }

    /**
     * Parses a FHIR instant (a date-time with seconds and an offset).
     *
     * @param node a JSON value
     * @return the instant with its offset; empty when the value is not an instant
     */
    static Optional<OffsetDateTime> instant(Optional<JsonNode> node) {
        return node.filter(JsonNode::isTextual).flatMap(n -> parse(n.asText()));
    }

    static Optional<OffsetDateTime> parse(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the response's {@code Date} header, the server's clock at the time of the answer.
     *
     * @param headers the response headers
     * @return the time in UTC; empty when missing or malformed
     */
    static Optional<OffsetDateTime> date(HttpHeaders headers) {
        try {
            return headers.firstValue("Date").map(text -> ZonedDateTime.parse(text,
                    DateTimeFormatter.RFC_1123_DATE_TIME).toOffsetDateTime()
                    .withOffsetSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
