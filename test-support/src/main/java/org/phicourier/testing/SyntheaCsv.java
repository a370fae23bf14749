package org.phicourier.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Loads a Synthea CSV table into a database exactly as the file holds it: the header's column
 * names (case kept) and each value's text, an empty field as an empty string, every column TEXT.
 */
public final class SyntheaCsv {
    private final List<String> header;
    private final List<List<String>> rows;

    private SyntheaCsv(List<String> header, List<List<String>> rows) {
        this.header = header;
        this.rows = rows;
    }

    /**
     * Reads a CSV file with a header line.
     *
     * @param file the file
     * @return the table
     * @throws IOException when the file cannot be read
     */
    public static SyntheaCsv read(Path file) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(split(line));
            }
        }
        return new SyntheaCsv(lines.get(0), lines.subList(1, lines.size()));
    }

    /** Splits one line; quoted fields (RFC 4180) are unquoted, though Synthea writes none. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
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
        fields.add(field.toString());
        return fields;
    }

    /**
     * Returns the column names in file order.
     *
     * @return the header
     */
    public List<String> header() {
        return Collections.unmodifiableList(header);
    }

    /**
     * Returns the data rows as text.
     *
     * @return the rows
     */
    public List<List<String>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /**
     * Returns every value of one column.
     *
     * @param column the column name
     * @return the values in row order
     */
    public List<String> column(String column) {
        int index = header.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column);
        }
        return rows.stream().map(row -> row.get(index)).toList();
    }

    /**
     * Creates the table with TEXT columns and inserts every row.
     *
     * @param connection where to create it
     * @param table the table name
     * @param quote the identifier quote of the database, such as {@code "} or a backtick
     * @throws SQLException when the database refuses
     */
    public void load(Connection connection, String table, String quote) throws SQLException {
        StringBuilder create = new StringBuilder("CREATE TABLE " + quote + table + quote + " (");
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            create.append(i > 0 ? ", " : "").append(quote).append(header.get(i)).append(quote)
                    .append(" TEXT");
            marks.append(i > 0 ? ", ?" : "?");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(create.append(")").toString());
        }
        String insert = "INSERT INTO " + quote + table + quote + " VALUES (" + marks + ")";
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (List<String> row : rows) {
                for (int i = 0; i < header.size(); i++) {
                    statement.setString(i + 1, row.get(i));
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
