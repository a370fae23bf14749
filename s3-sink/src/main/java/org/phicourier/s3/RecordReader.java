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
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.internal.ContentEncoding;
import org.phicourier.s3.internal.CsvRecords;
import org.phicourier.s3.internal.TextValues;
import org.phicourier.s3.spi.RecordFormat;

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
    private final Optional<Schema> rowSchema;
    private Optional<RecordFormat.Decoder> decoder = Optional.empty();
    private Optional<Row> nextDecoded = Optional.empty();
    private String objectKey = "";
    private Optional<DecodedObject> content = Optional.empty();
    private Optional<JsonParser> parser = Optional.empty();
    private Optional<CsvRecords> csv = Optional.empty();
    private List<String> header = List.of();
    private Optional<ObjectNode> next = Optional.empty();
    private long number;

    RecordReader(List<String> keys, Function<String, DecodedObject> opener,
            Optional<Schema> rowSchema) {
        this.keys = keys.iterator();
        this.opener = opener;
        this.rowSchema = rowSchema;
    }

    @Override
    public boolean hasNext() {
        while (next.isEmpty() && nextDecoded.isEmpty()) {
            if (content.isPresent()) {
                readOne();
            }
            if (next.isEmpty() && nextDecoded.isEmpty() && !openNextObject()) {
                return false;
            }
        }
        return true;
    }

    private void readOne() {
        if (decoder.isPresent()) {
            nextDecoded = readDecoded(decoder.get());
        } else {
            next = csv.isPresent() ? readCsv(csv.get()) : readNext(parser.get());
        }
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
        if (hasNext() && nextDecoded.isPresent()) {
            Row row = nextDecoded.get();
            nextDecoded = Optional.empty();
            return row;
        }
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
            Optional<RecordFormat> format = object.encoding().map(ContentEncoding::format);
            boolean isCsv = format.filter(ObjectFormat.CSV::equals).isPresent();
            if (format.isPresent() && !(format.get() instanceof ObjectFormat)) {
                openDecoder(object, format.get());
            } else if (isCsv) {
                openCsv(object);
            } else {
                parser = Optional.of(JSON.getFactory().createParser(object.content()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' cannot be parsed", e);
        }
        return true;
    }

    private void openDecoder(DecodedObject object, RecordFormat format) throws IOException {
        if (rowSchema.isEmpty()) {
            throw new ConfigurationException("object '" + objectKey + "' is " + format.label()
                    + ", whose records are read only as rows (S3ObjectReader.readRows)");
        }
        try {
            decoder = Optional.of(format.openDecoder(object.content(), rowSchema.get()));
        } catch (IntegrityException e) {
            throw new IntegrityException("object '" + objectKey + "': " + e.getMessage(), e);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("object '" + objectKey + "': " + e.getMessage(), e);
        }
    }

    private Optional<Row> readDecoded(RecordFormat.Decoder rows) {
        try {
            Optional<Row> row = rows.next();
            if (row.isEmpty()) {
                closeCurrent();
                return row;
            }
            number++;
            return row;
        } catch (IntegrityException e) {
            throw new IntegrityException("object '" + objectKey + "', record " + (number + 1)
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be read", e);
        }
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
            if (decoder.isPresent()) {
                decoder.get().close();
            }
            if (parser.isPresent()) {
                parser.get().close();
            }
            if (content.isPresent()) {
                content.get().content().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("object '" + objectKey + "' could not be closed", e);
        } finally {
            decoder = Optional.empty();
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
