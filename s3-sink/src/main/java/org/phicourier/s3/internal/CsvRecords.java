package org.phicourier.s3.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads RFC 4180 CSV as {@link CsvRowWriter} writes it, record by record, telling an empty
 * unquoted field (null) from a quoted empty one (the empty string). Accepts LF as well as CRLF
 * line ends. Not thread-safe.
 */
public final class CsvRecords {
    private final Reader in;

    /**
     * Creates a reader.
     *
     * @param in the text, buffered by the caller
     */
    public CsvRecords(Reader in) {
        this.in = in;
    }

    /**
     * Reads the next record.
     *
     * @return its fields, null where a field was empty and unquoted; empty at the end
     * @throws IOException when reading fails
     * @throws IllegalArgumentException when a quoted field is not closed or is followed by text
     */
    public Optional<List<String>> next() throws IOException {
        int c = read();
        if (c == -1) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        while (true) {
            StringBuilder text = new StringBuilder();
            boolean quoted = c == '"';
            c = quoted ? quotedField(text) : plainField(c, text);
            fields.add(quoted || text.length() > 0 ? text.toString() : null);
            if (c == ',') {
                c = read();
                continue;
            }
            endOfLine(c);
            return Optional.of(fields);
        }
    }

    private int plainField(int first, StringBuilder text) throws IOException {
        int c = first;
        while (c != ',' && c != '\r' && c != '\n' && c != -1) {
            if (c == '"') {
                throw new IllegalArgumentException("a quote inside an unquoted field");
            }
            text.append((char) c);
            c = read();
        }
        return c;
    }

    private int quotedField(StringBuilder text) throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw new IllegalArgumentException("a quoted field is not closed");
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    return after;
                }
            }
            text.append((char) c);
        }
    }

    private void endOfLine(int c) throws IOException {
        if (c == '\r') {
            int after = read();
            if (after != '\n') {
                throw new IllegalArgumentException("CR without LF after a field");
            }
        } else if (c != '\n' && c != -1) {
            throw new IllegalArgumentException("text after a closing quote");
        }
    }

    private int read() throws IOException {
        return in.read();
    }
}
