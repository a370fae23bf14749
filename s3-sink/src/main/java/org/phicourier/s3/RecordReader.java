package org.phicourier.s3;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.phicourier.IntegrityException;

/**
 * The records of one object, one JSON object per line, read as the caller iterates.
 *
 * <p>Decimal numbers are read as exact {@link java.math.BigDecimal}s. A line that is not a JSON
 * object fails with an {@link IntegrityException} naming the object and the record number, never
 * the line. Not thread-safe; close it when done.
 */
public final class RecordReader implements Iterator<ObjectNode>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final String objectKey;
    private final InputStream content;
    private final JsonParser parser;
    private ObjectNode next;
    private long number;

    RecordReader(String objectKey, InputStream content) {
        this.objectKey = objectKey;
        this.content = content;
        try {
            this.parser = JSON.getFactory().createParser(content);
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' cannot be parsed", e);
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readNext();
        }
        return next != null;
    }

    @Override
    public ObjectNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records in '" + objectKey + "'");
        }
        ObjectNode record = next;
        next = null;
        return record;
    }

    private ObjectNode readNext() {
        try {
            if (parser.nextToken() == null) {
                return null;
            }
            number++;
            JsonNode node = JSON.readTree(parser);
            if (!(node instanceof ObjectNode)) {
                throw malformed();
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw malformed();
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be read", e);
        }
    }

    private IntegrityException malformed() {
        return new IntegrityException("object '" + objectKey + "', record " + number
                + ": not a JSON object");
    }

    @Override
    public void close() {
        try {
            parser.close();
            content.close();
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be closed", e);
        }
    }

    @Override
    public String toString() {
        return "RecordReader[" + objectKey + ", record " + number + "]";
    }
}
