package org.phicourier.s3.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * Writes rows as RFC 4180 CSV: the schema's field names as the header, CRLF line ends, quotes
 * only where needed, null as an empty unquoted field and the empty string as {@code ""}. Values
 * take the text forms of {@link TextValues}. Not thread-safe.
 */
final class CsvRowWriter implements RecordEncoder {
    private static final int BUFFER = 64 * 1024;

    private final Writer out;
    private final Schema schema;

    CsvRowWriter(OutputStream out, Schema schema) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
        this.schema = schema;
        for (int i = 0; i < schema.size(); i++) {
            separate(i);
            quoted(schema.field(i).name());
        }
        this.out.write("\r\n");
    }

    @Override
    public void write(Row row) throws IOException {
        for (int i = 0; i < schema.size(); i++) {
            separate(i);
            Object value = row.get(i);
            if (value != null) {
                quoted(TextValues.format(schema.field(i), value));
            }
        }
        out.write("\r\n");
    }

    private void separate(int index) throws IOException {
        if (index > 0) {
            out.write(',');
        }
    }

    private void quoted(String text) throws IOException {
        if (!needsQuotes(text)) {
            out.write(text);
            return;
        }
        out.write('"');
        out.write(text.replace("\"", "\"\""));
        out.write('"');
    }

    private static boolean needsQuotes(String text) {
        if (text.isEmpty()) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }
}
