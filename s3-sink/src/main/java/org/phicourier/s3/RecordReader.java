package org.phicourier.s3;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import org.phicourier.IntegrityException;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.internal.ContentEncoding;
import org.phicourier.s3.internal.CsvRecords;
import org.phicourier.s3.internal.TextValues;

/**
 * The records of one or more objects, each as a JSON object, read as the caller iterates.
 * Objects are opened (and verified) one at a time, when the iteration reaches them. A JSON Lines
 * object yields one JSON object per line; a CSV object yields, per record, an object of the
 * header's names and the fields' text, null for an empty unquoted field.
 *
 * <p>Decimal numbers are read as exact {@link java.math.BigDecimal}s, trailing zeros kept.
 * {@link #nextRow(Schema)} decodes a record of either format back into the typed values that
 * were written. A record that is malformed fails with an {@link IntegrityException} naming the
 * object and the record number, never the line. Not thread-safe; close it when done.
 */
public final class RecordReader implements Iterator<ObjectNode>, AutoCloseable {
    private static final ObjectMapper JSON = RowJsonReader.EXACT;
    private static final int BUFFER = 64 * 1024;

    private final Iterator<String> keys;
    private final Function<String, DecodedObject> opener;
    private String objectKey = "";
    private Optional<DecodedObject> content = Optional.empty();
    private Optional<JsonParser> parser = Optional.empty();
    private Optional<CsvRecords> csv = Optional.empty();
    private List<String> header = List.of();
    private Optional<ObjectNode> next = Optional.empty();
    private long number;

    RecordReader(List<String> keys, Function<String, DecodedObject> opener) {
        this.keys = keys.iterator();
        this.opener = opener;
    }

    @Override
    public boolean hasNext() {
        while (next.isEmpty()) {
            if (content.isPresent()) {
                next = csv.isPresent() ? readCsv(csv.get()) : readNext(parser.get());
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
     * Returns the next record decoded into the typed values it was written from, whatever the
     * object's format.
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
            return csv.isPresent() ? TextValues.decode(schema, record)
                    : RowJsonReader.decode(schema, record);
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
        DecodedObject object = opener.apply(objectKey);
        content = Optional.of(object);
        try {
            boolean isCsv = object.encoding().map(ContentEncoding::format)
                    .filter(ObjectFormat.CSV::equals).isPresent();
            if (isCsv) {
                openCsv(object);
            } else {
                parser = Optional.of(JSON.getFactory().createParser(object.content()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' cannot be parsed", e);
        }
        return true;
    }

    private void openCsv(DecodedObject object) throws IOException {
        CsvRecords records = new CsvRecords(new BufferedReader(
                new InputStreamReader(object.content(), StandardCharsets.UTF_8), BUFFER));
        csv = Optional.of(records);
        try {
            header = records.next().orElseThrow(() -> malformed("no header"));
        } catch (IllegalArgumentException e) {
            throw malformed("a malformed header");
        }
        if (header.contains(null)) {
            throw malformed("an empty name in the header");
        }
    }

    private Optional<ObjectNode> readCsv(CsvRecords records) {
        try {
            Optional<List<String>> fields = records.next();
            if (fields.isEmpty()) {
                closeCurrent();
                return Optional.empty();
            }
            number++;
            if (fields.get().size() != header.size()) {
                throw malformed(fields.get().size() + " fields where the header has "
                        + header.size());
            }
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < header.size(); i++) {
                node.put(header.get(i), fields.get().get(i));
            }
            return Optional.of(node);
        } catch (IllegalArgumentException e) {
            throw malformed("not a CSV record: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be read", e);
        }
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
                throw malformed("not a JSON object");
            }
            return Optional.of((ObjectNode) node);
        } catch (JsonProcessingException e) {
            throw malformed("not a JSON object");
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be read", e);
        }
    }

    private IntegrityException malformed(String problem) {
        return new IntegrityException("object '" + objectKey + "', record " + number + ": "
                + problem);
    }

    private void closeCurrent() {
        try {
            if (parser.isPresent()) {
                parser.get().close();
            }
            if (content.isPresent()) {
                content.get().content().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be closed", e);
        } finally {
            parser = Optional.empty();
            csv = Optional.empty();
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
