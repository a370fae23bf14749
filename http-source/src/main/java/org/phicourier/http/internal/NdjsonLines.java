package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Streams a newline-delimited JSON body one object at a time, so that a file of any size is
 * read with the memory of one line. Not thread-safe.
 */
public final class NdjsonLines implements AutoCloseable {
    private final Exchange exchange;
    private final JsonParser parser;
    private long line;

    private NdjsonLines(Exchange exchange, JsonParser parser) {
        this.exchange = exchange;
        this.parser = parser;
    }

    /**
     * Starts reading a body.
     *
     * @param exchange the response, content type already checked; closed with this reader
     * @return the reader
     * @throws BodyFault when the body cannot be read at all
     */
    public static NdjsonLines open(Exchange exchange) {
        try {
            return new NdjsonLines(exchange, Json.parser(exchange.body()));
        } catch (IOException e) {
            exchange.close();
            throw new BodyFault("the body cannot be read (" + JsonFaults.describe(e) + ")");
        }
    }

    /**
     * Returns the next object.
     *
     * @return the object; empty at the end of the body
     * @throws BodyFault when a line is not a complete JSON object; the message names the line
     */
    public Optional<JsonNode> next() {
        try {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return Optional.empty();
            }
            line = parser.currentTokenLocation().getLineNr();
            if (token != JsonToken.START_OBJECT) {
                throw new BodyFault("line " + line + " is not a JSON object");
            }
            return Optional.of(Json.MAPPER.readTree(parser));
        } catch (JsonProcessingException e) {
            throw new BodyFault(JsonFaults.describe(e));
        } catch (IOException e) {
            throw BodyFault.transport("reading the body failed (" + JsonFaults.describe(e)
                    + ") after line " + line);
        }
    }

    /**
     * Returns the line of the last object read.
     *
     * @return the one-based line number; 0 before the first
     */
    public long line() {
        return line;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // The exchange is closed below either way.
        }
        exchange.close();
    }

    @Override
    public String toString() {
        return "NdjsonLines[" + exchange.call().describe() + ", line " + line + "]";
    }
}
