package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.phicourier.internal.RowJsonWriter;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/** Turns quarantined records into rows of one fixed schema, for any sink or file. */
final class QuarantineRows {
    static final Schema SCHEMA = Schema.of(Field.of("stream", FieldType.STRING),
            Field.of("position", FieldType.INT64), Field.of("field", FieldType.STRING),
            Field.of("reason", FieldType.STRING), Field.of("record", FieldType.JSON));
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuarantineRows() {
    }

    static Row row(QuarantinedRecord record) {
        return Row.of(SCHEMA, record.stream(), record.position(), record.field(),
                record.reason(), json(record.record()));
    }

    static byte[] jsonLines(List<QuarantinedRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (RowJsonWriter writer = new RowJsonWriter(bytes, SCHEMA)) {
            for (QuarantinedRecord record : records) {
                writer.write(row(record));
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render quarantined records", e);
        }
        return bytes.toByteArray();
    }

    private static JsonNode json(Row row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (RowJsonWriter writer = new RowJsonWriter(bytes, row.schema())) {
            writer.write(row);
            writer.finish();
            return JSON.readTree(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render a quarantined record", e);
        }
    }
}
