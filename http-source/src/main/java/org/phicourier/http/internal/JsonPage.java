package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Streams the elements of one JSON array inside a response body (the records of a page) with
 * Jackson's streaming parser, holding one element at a time, and captures a few other values of
 * the page (next link, cursor, totals) by JSON pointer wherever they appear in the body. Other
 * parts of the body are skipped unread into memory. Not thread-safe.
 */
public final class JsonPage implements AutoCloseable {
    private final Exchange exchange;
    private final JsonParser parser;
    private final JsonPointer records;
    private final Set<JsonPointer> captures;
    private final Map<JsonPointer, JsonNode> captured = new HashMap<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private boolean recordsFound;
    private boolean rootDone;
    private boolean finished;
    private long elements;

    /** One open object or array on the way to a wanted value. */
    private static final class Frame {
        final JsonPointer pointer;
        final boolean array;
        final boolean records;
        int index;
        String field = "";

        Frame(JsonPointer pointer, boolean array, boolean records) {
            this.pointer = pointer;
            this.array = array;
            this.records = records;
        }

        JsonPointer child() {
            return array ? pointer.appendIndex(index++) : pointer.appendProperty(field);
        }
    }

    private JsonPage(Exchange exchange, JsonParser parser, JsonPointer records,
            Set<JsonPointer> captures) {
        this.exchange = exchange;
        this.parser = parser;
        this.records = records;
        this.captures = Set.copyOf(captures);
    }

    /**
     * Starts reading a page.
     *
     * @param exchange the response, content type already checked; closed with the page
     * @param records where the array of records is
     * @param captures other values to keep
     * @return the page
     * @throws BodyFault when the body cannot be read at all
     */
    public static JsonPage open(Exchange exchange, JsonPointer records,
            Set<JsonPointer> captures) {
        try {
            return new JsonPage(exchange, Json.parser(exchange.body()), records, captures);
        } catch (IOException e) {
            exchange.close();
            throw new BodyFault("the body cannot be read (" + JsonFaults.describe(e) + ")");
        }
    }

    /**
     * Returns the next element of the records array.
     *
     * @return the element; empty once the whole body has been read
     * @throws BodyFault when the body is malformed, truncated or shaped differently
     */
    public Optional<JsonNode> next() {
        while (!finished) {
            JsonToken token = advance();
            if (token == null) {
                finished = true;
            } else if (token == JsonToken.FIELD_NAME) {
                stack.element().field = name();
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                stack.pop();
                rootDone = stack.isEmpty();
            } else {
                Optional<JsonNode> element = value(token);
                if (element.isPresent()) {
                    return element;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<JsonNode> value(JsonToken token) {
        if (rootDone) {
            throw new BodyFault("the body holds more than one JSON value"
                    + JsonFaults.position(parser.currentTokenLocation()));
        }
        Frame parent = stack.peek();
        if (parent != null && parent.records) {
            elements++;
            return Optional.of(tree());
        }
        JsonPointer here = parent == null ? JsonPointer.empty() : parent.child();
        if (here.equals(records)) {
            openRecords(token);
        } else if (captures.contains(here)) {
            captured.put(here, tree());
        } else if (token.isStructStart() && leadsToWanted(here)) {
            stack.push(new Frame(here, token == JsonToken.START_ARRAY, false));
        } else if (token.isStructStart()) {
            skip();
        }
        if (parent == null && stack.isEmpty()) {
            rootDone = true;
        }
        return Optional.empty();
    }

    private void openRecords(JsonToken token) {
        recordsFound = true;
        if (token == JsonToken.START_ARRAY) {
            stack.push(new Frame(records, true, true));
        } else if (token != JsonToken.VALUE_NULL) {
            throw new BodyFault("the value at JSON pointer '" + records + "' is not an array"
                    + JsonFaults.position(parser.currentTokenLocation()));
        }
    }

    private boolean leadsToWanted(JsonPointer here) {
        String prefix = here.toString() + "/";
        if (records.toString().startsWith(prefix)) {
            return true;
        }
        return captures.stream().anyMatch(c -> c.toString().startsWith(prefix));
    }

    private JsonToken advance() {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw new BodyFault(JsonFaults.describe(e));
        } catch (IOException e) {
            throw ioFault(e);
        }
    }

    private String name() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw ioFault(e);
        }
    }

    private JsonNode tree() {
        try {
            return Json.MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw new BodyFault(JsonFaults.describe(e));
        } catch (IOException e) {
            throw ioFault(e);
        }
    }

    private void skip() {
        try {
            parser.skipChildren();
        } catch (JsonProcessingException e) {
            throw new BodyFault(JsonFaults.describe(e));
        } catch (IOException e) {
            throw ioFault(e);
        }
    }

    private BodyFault ioFault(IOException e) {
        return BodyFault.transport("reading the body failed (" + JsonFaults.describe(e) + ")"
                + JsonFaults.position(parser.currentLocation()));
    }

    /**
     * Returns the captured values; complete once {@link #next()} has returned empty.
     *
     * @return values by pointer; a pointer absent from the body is absent here
     */
    public Map<JsonPointer, JsonNode> captured() {
        return Map.copyOf(captured);
    }

    /**
     * Tells whether the body had a value (an array or null) at the records pointer.
     *
     * @return true when found
     */
    public boolean recordsFound() {
        return recordsFound;
    }

    /**
     * Returns how many elements of the records array were read.
     *
     * @return the element count
     */
    public long elements() {
        return elements;
    }

    /**
     * Returns the response this page reads.
     *
     * @return the exchange
     */
    public Exchange exchange() {
        return exchange;
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
        return "JsonPage[" + exchange.call().describe() + ", elements=" + elements + "]";
    }
}
