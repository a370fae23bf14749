package org.phicourier.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Splits CSV records (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
final class CsvLines {
    private CsvLines() {
    }

    /** Returns the next record's fields, or null at the end of the input. */
    static List<String> next(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        while (true) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            if (!quoted) {
                break;
            }
            String more = in.readLine();
            if (more == null) {
                throw new IOException("unterminated quoted field");
            }
            field.append('\n');
            line = more;
        }
        fields.add(field.toString());
        return fields;
    }
}
