package org.phicourier.internal;

import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_TIME;
import static java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * Writes rows as JSON Lines: one JSON object per line, fields in schema order.
 *
 * <p>Encodings: numbers as JSON numbers (decimals exact, in the notation
 * {@link BigDecimal#toString} gives); non-finite floating-point values as the strings {@code NaN},
 * {@code Infinity} and {@code -Infinity}; dates and times as ISO-8601 strings (a date-time
 * without zone stays without zone); binary as standard Base64; nested JSON as is; null as JSON
 * null. Not thread-safe.
 */
public final class RowJsonWriter implements AutoCloseable {
    private static final JsonFactory FACTORY = new ObjectMapper().getFactory()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final JsonGenerator generator;
    private final Schema schema;
    private final SerializedString[] names;
    private long rows;
    private final IsoText iso = new IsoText();

    /**
     * Creates a writer.
     *
     * @param out receives UTF-8 JSON Lines; not closed by {@link #close()}
     * @param schema the schema of every row that will be written
     * @throws IOException when the generator cannot be created
     */
    public RowJsonWriter(OutputStream out, Schema schema) throws IOException {
        this.generator = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        generator.setRootValueSeparator(new SerializedString("\n"));
        this.schema = schema;
        this.names = new SerializedString[schema.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = new SerializedString(schema.field(i).name());
        }
    }

    /**
     * Writes one row as one line.
     *
     * @param row a row following the writer's schema
     * @throws IOException when the output fails
     */
    public void write(Row row) throws IOException {
        generator.writeStartObject();
        for (int i = 0; i < names.length; i++) {
            generator.writeFieldName(names[i]);
            writeValue(schema.field(i), row.get(i));
        }
        generator.writeEndObject();
        rows++;
    }

    private void writeValue(Field field, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
            return;
        }
        switch (field.type()) {
            case STRING -> generator.writeString((String) value);
            case INT32 -> generator.writeNumber((Integer) value);
            case INT64 -> generator.writeNumber((Long) value);
            case FLOAT32 -> writeFloat((Float) value);
            case FLOAT64 -> writeDouble((Double) value);
            case DECIMAL -> generator.writeNumber((BigDecimal) value);
            case BOOLEAN -> generator.writeBoolean((Boolean) value);
            case BINARY -> generator.writeBinary((byte[]) value);
            case JSON -> generator.writeTree((JsonNode) value);
            case DATE -> writeTime(iso.date((LocalDate) value), ISO_LOCAL_DATE, value);
            case TIME -> writeTime(iso.time((LocalTime) value), ISO_LOCAL_TIME, value);
            case TIMESTAMP ->
                    writeTime(iso.dateTime((LocalDateTime) value), ISO_LOCAL_DATE_TIME, value);
            case TIMESTAMP_TZ -> writeTime(iso.offsetDateTime((OffsetDateTime) value),
                    ISO_OFFSET_DATE_TIME, value);
            default -> throw new IllegalStateException("unhandled type " + field.type());
        }
    }

    /** Writes the text {@link IsoText} made, or the formatter's when it declined the value. */
    private void writeTime(int length, DateTimeFormatter formatter, Object value)
            throws IOException {
        if (length >= 0) {
            generator.writeString(iso.chars(), 0, length);
        } else {
            generator.writeString(formatter.format((TemporalAccessor) value));
        }
    }

    private void writeFloat(float value) throws IOException {
        if (Float.isFinite(value)) {
            generator.writeNumber(value);
        } else {
            generator.writeString(Float.toString(value));
        }
    }

    private void writeDouble(double value) throws IOException {
        if (Double.isFinite(value)) {
            generator.writeNumber(value);
        } else {
            generator.writeString(Double.toString(value));
        }
    }

    /**
     * Ends the last line and flushes; the underlying stream stays open.
     *
     * @throws IOException when the output fails
     */
    public void finish() throws IOException {
        if (rows > 0) {
            generator.writeRaw('\n');
        }
        generator.flush();
    }

    /**
     * Flushes buffered bytes to the underlying stream.
     *
     * @throws IOException when the output fails
     */
    public void flush() throws IOException {
        generator.flush();
    }

    @Override
    public void close() throws IOException {
        generator.close();
    }
}
