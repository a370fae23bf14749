package org.phicourier.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.phicourier.model.Row;

/** Turns one element of a response (an array element or an NDJSON line) into a row. */
@FunctionalInterface
public interface ElementReader {
    /**
     * Reads one element.
     *
     * @param element the parsed element
     * @return the row; empty when the element is not a record (such as a FHIR search outcome)
     * @throws BodyFault when the element is not shaped as expected; the message names the
     *     field, never a value
     */
    Optional<Row> read(JsonNode element);
}
