package org.phicourier.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/**
 * Reads CSV files (UTF-8, a header line, RFC 4180 quoting) as streams, one per file, named
 * after the file without {@code .csv}. Empty fields are null. A column whose every non-empty
 * value is an ISO date becomes {@link FieldType#DATE}, one whose every value is an ISO date-time
 * with {@code Z} or an offset becomes {@link FieldType#TIMESTAMP_TZ}; everything else stays text,
 * so ZIP codes keep their leading zeros and long codes their digits.
 *
 * <p>Not thread-safe; a pipeline uses it from one run at a time. Errors name the file, line and
 * column, never a value.
 */
public final class CsvFileSource implements Source {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern INSTANT = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final int BATCH = 500;
    private static final Set<String> PATIENT_TABLES = Set.of("patients", "patient", "person",
            "persons", "people");

    private final Map<String, Path> files;
    private final Map<String, StreamDescriptor> discovered = new LinkedHashMap<>();

    private CsvFileSource(Map<String, Path> files) {
        this.files = files;
    }

    /**
     * Reads every {@code *.csv} file of a directory: a patients table ({@code patients},
     * {@code person} and similar) first, so that later tables can be scrubbed of the names their
     * patients carry, then the others in name order.
     *
     * @param directory the directory
     * @return the source
     * @throws ConfigurationException when the directory cannot be listed or holds no CSV file
     */
    public static CsvFileSource directory(Path directory) {
        Map<String, Path> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted(Comparator.comparing((Path p) -> !PATIENT_TABLES.contains(streamName(p)
                            .toLowerCase(Locale.ROOT))).thenComparing(Comparator.naturalOrder()))
                    .forEach(p -> files.put(streamName(p), p));
        } catch (IOException e) {
            throw new ConfigurationException("cannot list CSV directory " + directory);
        }
        if (files.isEmpty()) {
            throw new ConfigurationException("CSV directory " + directory + " holds no .csv file");
        }
        return new CsvFileSource(files);
    }

    /**
     * Reads the given files, in order.
     *
     * @param files CSV files
     * @return the source
     */
    public static CsvFileSource files(Path... files) {
        Map<String, Path> map = new LinkedHashMap<>();
        for (Path file : files) {
            map.put(streamName(Objects.requireNonNull(file, "file")), file);
        }
        return new CsvFileSource(map);
    }

    private static String streamName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.csv$", "");
    }

    @Override
    public List<StreamDescriptor> discover() {
        discovered.clear();
        files.forEach((stream, file) -> discovered.put(stream,
                StreamDescriptor.of(stream, schema(file))));
        return List.copyOf(discovered.values());
    }

    private static Schema schema(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> header = header(file, in);
            FieldType[] types = new FieldType[header.size()];
            boolean[] seen = new boolean[header.size()];
            for (List<String> line = CsvLines.next(in); line != null; line = CsvLines.next(in)) {
                for (int i = 0; i < Math.min(line.size(), types.length); i++) {
                    types[i] = widen(types[i], seen, i, line.get(i));
                }
            }
            List<Field> fields = new ArrayList<>();
            for (int i = 0; i < types.length; i++) {
                FieldType type = types[i] == null ? FieldType.STRING : types[i];
                fields.add(Field.builder(header.get(i), type).sourceType("csv").build());
            }
            return Schema.of(fields);
        } catch (IOException e) {
            throw new SourceException("cannot read CSV file " + file);
        }
    }

    private static List<String> header(Path file, BufferedReader in) throws IOException {
        List<String> header = CsvLines.next(in);
        if (header == null || header.isEmpty()) {
            throw new ConfigurationException("CSV file " + file + " has no header line");
        }
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
        return header;
    }

    private static FieldType widen(FieldType current, boolean[] seen, int i, String value) {
        if (value.isEmpty()) {
            return current;
        }
        FieldType type = DATE.matcher(value).matches() ? FieldType.DATE
                : INSTANT.matcher(value).matches() ? FieldType.TIMESTAMP_TZ : FieldType.STRING;
        if (!seen[i]) {
            seen[i] = true;
            return type;
        }
        return current == type ? current : FieldType.STRING;
    }

    @Override
    public StreamReader open(StreamDescriptor stream) {
        Path file = files.get(stream.name());
        if (file == null) {
            throw new ConfigurationException("no CSV stream '" + stream.name() + "'");
        }
        try {
            BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            CsvLines.next(in);
            return new Reader(stream, file, in);
        } catch (IOException e) {
            throw new SourceException("cannot open CSV file " + file);
        }
    }

    @Override
    public String toString() {
        return "CsvFileSource" + files.keySet();
    }

    /** Reads one file in batches. */
    private static final class Reader implements StreamReader {
        private final StreamDescriptor stream;
        private final Path file;
        private final BufferedReader in;
        private long position = 1;

        Reader(StreamDescriptor stream, Path file, BufferedReader in) {
            this.stream = stream;
            this.file = file;
            this.in = in;
        }

        @Override
        public Optional<RowBatch> next() {
            List<Row> rows = new ArrayList<>();
            long first = position;
            try {
                for (List<String> line = CsvLines.next(in); line != null;
                        line = rows.size() < BATCH - 1 ? CsvLines.next(in) : null) {
                    rows.add(row(line));
                    position++;
                }
            } catch (IOException e) {
                throw new SourceException("stream '" + stream.name() + "': cannot read "
                        + file + " at row " + position);
            }
            return rows.isEmpty() ? Optional.empty()
                    : Optional.of(RowBatch.of(stream.schema(), rows, first));
        }

        private Row row(List<String> line) {
            Schema schema = stream.schema();
            if (line.size() != schema.size()) {
                throw new SourceException("stream '" + stream.name() + "', row " + position
                        + ": " + line.size() + " fields where the header has " + schema.size());
            }
            Object[] values = new Object[schema.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = value(schema.field(i), line.get(i));
            }
            return Row.of(schema, values);
        }

        private Object value(Field field, String text) {
            if (text.isEmpty()) {
                return null;
            }
            try {
                switch (field.type()) {
                    case DATE:
                        return LocalDate.parse(text);
                    case TIMESTAMP_TZ:
                        return OffsetDateTime.parse(text);
                    default:
                        return text;
                }
            } catch (DateTimeParseException e) {
                throw new SourceException("stream '" + stream.name() + "', field '"
                        + field.name() + "', row " + position + ": not a valid " + field.type());
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new SourceException("cannot close " + file);
            }
        }
    }
}
