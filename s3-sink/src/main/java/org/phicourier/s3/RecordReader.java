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
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import org.phicourier.IntegrityException;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * The records of one or more objects, one JSON object per line, read as the caller iterates.
 * Objects are opened (and verified) one at a time, when the iteration reaches them.
 *
 * <p>Decimal numbers are read as exact {@link java.math.BigDecimal}s, trailing zeros kept.
 * {@link #nextRow(Schema)} decodes a record back into the typed values that were written. A
 * line that is not a JSON object fails with an {@link IntegrityException} naming the object and
 * the record number, never the line. Not thread-safe; close it when done.
 */
public final class RecordReader implements Iterator<ObjectNode>, AutoCloseable {
    private static final ObjectMapper JSON = RowJsonReader.EXACT;

    private final Iterator<String> keys;
    private final Function<String, InputStream> opener;
    private String objectKey = "";
    private Optional<InputStream> content = Optional.empty();
    private Optional<JsonParser> parser = Optional.empty();
    private Optional<ObjectNode> next = Optional.empty();
    private long number;

    RecordReader(List<String> keys, Function<String, InputStream> opener) {
        this.keys = keys.iterator();
        this.opener = opener;
    }

    @Override
    public boolean hasNext() {
        while (next.isEmpty()) {
            if (parser.isPresent()) {
                next = readNext(parser.get());
            }
            if (next.isEmpty() && !openNextObject()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ObjectNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records after '" + objectKey + "'");
        }
        ObjectNode record = next.get();
        next = Optional.empty();
        return record;
    }

    /**
     * Returns the next record decoded into the typed values it was written from.
     *
     * @param schema the schema the records were written with, such as the one stored beside them
     * @return the row
     * @throws NoSuchElementException when no record is left
     * @throws IntegrityException when the record does not fit the schema; the message names the
     *     object, record number and field, never a value
     */
    public Row nextRow(Schema schema) {
        ObjectNode record = next();
        try {
            return RowJsonReader.decode(schema, record);
        } catch (IntegrityException e) {
            throw new IntegrityException("object '" + objectKey + "', record " + number + ": "
                    + e.getMessage());
        }
    }

    private boolean openNextObject() {
        closeCurrent();
        if (!keys.hasNext()) {
            return false;
        }
        objectKey = keys.next();
        number = 0;
        InputStream in = opener.apply(objectKey);
        content = Optional.of(in);
        try {
            parser = Optional.of(JSON.getFactory().createParser(in));
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' cannot be parsed", e);
        }
        return true;
    }

    private Optional<ObjectNode> readNext(JsonParser json) {
        try {
            if (json.nextToken() == null) {
                closeCurrent();
                return Optional.empty();
            }
            number++;
            JsonNode node = JSON.readTree(json);
            if (!(node instanceof ObjectNode)) {
                throw malformed();
            }
            return Optional.of((ObjectNode) node);
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

    private void closeCurrent() {
        try {
            if (parser.isPresent()) {
                parser.get().close();
            }
            if (content.isPresent()) {
                content.get().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be closed", e);
        } finally {
            parser = Optional.empty();
            content = Optional.empty();
        }
    }

    @Override
    public void close() {
        closeCurrent();
    }

    @Override
    public String toString() {
        return "RecordReader[" + objectKey + ", record " + number + "]";
    }
}
