package org.phicourier.s3.internal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamContext;

/**
 * An object key template (see {@link org.phicourier.s3.S3Sink.Builder#keyTemplate}): literal
 * text and placeholders, parsed and checked once, rendered per object. Immutable and
 * thread-safe.
 */
public final class KeyTemplate {
    /** The layout of runs without state: {@code <stream>/<runId>-<n, 5 digits>}. */
    public static final KeyTemplate RUNS = parse("{stream}/{runId}-{sequence}");
    /** The layout of runs with state: {@code <stream>/g<generation>-<start>/<n, 8 digits>}. */
    public static final KeyTemplate SERIES = parse("{stream}/{generation}/{sequence}");
    /** What a partition value becomes when the field is null or empty, as Hive names it. */
    public static final String NO_VALUE = "__HIVE_DEFAULT_PARTITION__";

    private static final String SAFE = "!-_.*'()";
    private static final DateTimeFormatter GENERATION_START =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final OffsetDateTime SAMPLE =
            OffsetDateTime.of(2026, 12, 31, 23, 59, 59, 123_456_789, ZoneOffset.UTC);

    private final String text;
    private final List<Part> parts;

    private KeyTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses and checks a template.
     *
     * @param text the template
     * @return the template
     * @throws IllegalArgumentException naming every problem found
     */
    public static KeyTemplate parse(String text) {
        List<String> problems = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            int end = open < 0 ? text.length() : open;
            if (end > at) {
                parts.add(literal(text.substring(at, end), problems));
            }
            if (open < 0) {
                break;
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                problems.add("a '{' at position " + open + " is not closed");
                break;
            }
            parts.add(placeholder(text.substring(open + 1, close), problems));
            at = close + 1;
        }
        KeyTemplate template = new KeyTemplate(text, parts);
        template.checkWhole(problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return template;
    }

    private static Part literal(String literal, List<String> problems) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '}') {
                problems.add("a '}' without '{'");
            } else if (!isKeySafe(c) && c != '/' && c != '=') {
                problems.add("the character '" + c + "' is not safe in an S3 key");
            }
        }
        return new Literal(literal);
    }

    private static Part placeholder(String body, List<String> problems) {
        String[] pieces = body.split(":", 3);
        try {
            return switch (pieces[0]) {
                case "stream" -> exact(pieces, Kind.STREAM);
                case "runId" -> exact(pieces, Kind.RUN_ID);
                case "generation" -> exact(pieces, Kind.GENERATION);
                case "sequence" -> exact(pieces, Kind.SEQUENCE);
                case "run" -> new Time(Optional.empty(), formatter(body.substring(4)));
                case "date" -> fieldTime(body);
                case "value" -> new Value(fieldName(body.substring(6)));
                default -> throw new IllegalArgumentException("unknown placeholder {" + body
                        + "}; known: {stream} {runId} {generation} {sequence} {run:PATTERN}"
                        + " {date:FIELD:PATTERN} {value:FIELD}");
            };
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            problems.add(e instanceof IllegalArgumentException ? e.getMessage()
                    : "placeholder {" + body + "} is incomplete");
            return new Literal("");
        }
    }

    private static Part exact(String[] pieces, Kind kind) {
        if (pieces.length > 1) {
            throw new IllegalArgumentException("{" + pieces[0] + "} takes no argument");
        }
        return new Fixed(kind);
    }

    private static Part fieldTime(String body) {
        int colon = body.indexOf(':', 5);
        if (colon < 0) {
            throw new IllegalArgumentException("{" + body + "} needs the form"
                    + " {date:FIELD:PATTERN}");
        }
        return new Time(Optional.of(fieldName(body.substring(5, colon))),
                formatter(body.substring(colon + 1)));
    }

    private static String fieldName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a placeholder names no field");
        }
        return name;
    }

    private static DateTimeFormatter formatter(String pattern) {
        DateTimeFormatter formatter;
        try {
            formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the date pattern '" + pattern + "' is invalid");
        }
        String sample;
        try {
            sample = formatter.format(SAMPLE);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the date pattern '" + pattern
                    + "' needs more than a date and time in UTC");
        }
        for (int i = 0; i < sample.length(); i++) {
            char c = sample.charAt(i);
            if (!isKeySafe(c) && c != '/' && c != '=') {
                throw new IllegalArgumentException("the date pattern '" + pattern
                        + "' writes '" + c + "', which is not safe in an S3 key");
            }
        }
        return formatter;
    }

    private void checkWhole(List<String> problems) {
        if (!has(Kind.STREAM)) {
            problems.add("{stream} is required, so that streams never share a key");
        }
        if (!has(Kind.SEQUENCE)) {
            problems.add("{sequence} is required, so that objects never share a key");
        }
        if (!has(Kind.RUN_ID) && !has(Kind.GENERATION)) {
            problems.add("{runId} or {generation} is required, so that runs never share a key");
        }
        if (text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
            problems.add("a key must not start or end with '/' or hold '//'");
        }
        for (String segment : text.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                problems.add("a key must not hold the segment '" + segment + "'");
            }
        }
    }

    private boolean has(Kind kind) {
        return parts.stream().anyMatch(part -> part instanceof Fixed f && f.kind == kind);
    }

    /** Tells whether the template places field values in keys. */
    public boolean usesFields() {
        return parts.stream().anyMatch(part -> part instanceof Value
                || part instanceof Time t && t.field.isPresent());
    }

    /** Tells whether keys depend on the run (its id or start), which a replay would change. */
    public boolean usesRun() {
        return has(Kind.RUN_ID) || parts.stream()
                .anyMatch(part -> part instanceof Time t && t.field.isEmpty());
    }

    /** Tells whether keys begin with {@code {stream}/{generation}}, as runs with state need. */
    public boolean startsWithGeneration() {
        return text.startsWith("{stream}/{generation}");
    }

    /** Tells whether the template uses the generation. */
    public boolean usesGeneration() {
        return has(Kind.GENERATION);
    }

    /**
     * Checks the fields the template names against a stream's schema.
     *
     * @param schema the schema
     * @return the problems, empty when none
     */
    public List<String> check(Schema schema) {
        List<String> problems = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Value value) {
                checkValue(schema, value.field, problems);
            } else if (part instanceof Time time && time.field.isPresent()) {
                checkTime(schema, time, problems);
            }
        }
        return problems;
    }

    private static void checkValue(Schema schema, String name, List<String> problems) {
        Optional<Field> field = find(schema, name, problems);
        if (field.isPresent() && (field.get().type() == FieldType.BINARY
                || field.get().type() == FieldType.JSON)) {
            problems.add("field '" + name + "' of type " + field.get().type()
                    + " cannot name a partition");
        }
    }

    private static void checkTime(Schema schema, Time time, List<String> problems) {
        Optional<Field> field = find(schema, time.field.get(), problems);
        if (field.isEmpty()) {
            return;
        }
        FieldType type = field.get().type();
        if (type == FieldType.DATE) {
            try {
                time.formatter.format(SAMPLE.toLocalDate());
            } catch (RuntimeException e) {
                problems.add("field '" + time.field.get() + "' is a DATE; its pattern may use"
                        + " only date parts");
            }
        } else if (type == FieldType.TIMESTAMP) {
            try {
                time.formatter.format(SAMPLE.toLocalDateTime());
            } catch (RuntimeException e) {
                problems.add("field '" + time.field.get() + "' is a TIMESTAMP without zone;"
                        + " its pattern may not use the zone");
            }
        } else if (type != FieldType.TIMESTAMP_TZ) {
            problems.add("field '" + time.field.get() + "' of type " + type
                    + " has no date parts");
        }
    }

    private static Optional<Field> find(Schema schema, String name, List<String> problems) {
        Optional<Field> field = schema.field(name);
        if (field.isEmpty()) {
            problems.add("the key template names field '" + name + "', which the schema lacks");
        }
        return field;
    }

    /**
     * Returns the part of a row's key that depends on its fields; rows with equal partitions go
     * into the same object.
     *
     * @param row the row
     * @return the rendered field placeholders, joined by {@code /}
     */
    public String partition(Row row) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Value || part instanceof Time t && t.field.isPresent()) {
                out.append(part.render(null, 0, 0, row)).append('/');
            }
        }
        return out.toString();
    }

    /**
     * Renders the key of an object, without the sink's prefix.
     *
     * @param context the run and stream
     * @param sequence the object's number
     * @param width the digits the number is padded to
     * @param row the object's first row, for field placeholders
     * @param suffix what the key ends with, such as {@code .jsonl.gz}
     * @return the key
     */
    public String render(StreamContext context, long sequence, int width, Row row,
            String suffix) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.render(context, sequence, width, row));
        }
        return out.append(suffix).toString();
    }

    /**
     * Returns a pattern that matches the keys this template renders, the sequence number in
     * group {@code sequence}, an instruction file's key included.
     *
     * @return the pattern
     */
    public Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        parts.forEach(part -> regex.append(part.regex()));
        regex.append("\\.(jsonl|csv)(\\.gz|\\.zst)?(\\.instruction)?");
        return Pattern.compile(regex.toString());
    }

    static boolean isKeySafe(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || SAFE.indexOf(c) >= 0);
    }

    /** Writes a value as Hive does: characters unsafe in a key as {@code %XX} of UTF-8. */
    static String escape(String value) {
        if (value.isEmpty()) {
            return NO_VALUE;
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (isKeySafe(c)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    private enum Kind { STREAM, RUN_ID, GENERATION, SEQUENCE }

    private interface Part {
        String render(StreamContext context, long sequence, int width, Row row);

        String regex();
    }

    private record Literal(String text) implements Part {
        @Override
        public String render(StreamContext context, long sequence, int width, Row row) {
            return text;
        }

        @Override
        public String regex() {
            return text.isEmpty() ? "" : Pattern.quote(text);
        }
    }

    private record Fixed(Kind kind) implements Part {
        @Override
        public String render(StreamContext context, long sequence, int width, Row row) {
            return switch (kind) {
                case STREAM -> context.stream();
                case RUN_ID -> context.runId();
                case SEQUENCE -> String.format("%0" + width + "d", sequence);
                case GENERATION -> generation(context);
            };
        }

        private static String generation(StreamContext context) {
            var series = context.objectSeries().orElseThrow(() -> new IllegalStateException(
                    "{generation} needs a run with state"));
            return String.format("g%06d-", series.generation())
                    + GENERATION_START.format(series.generationStartedAt());
        }

        @Override
        public String regex() {
            return switch (kind) {
                case STREAM -> "[^/]+";
                case RUN_ID -> "\\d{8}T\\d{6}Z-[0-9a-f]+";
                case SEQUENCE -> "(?<sequence>\\d{5,})";
                case GENERATION -> "g\\d{6,}-\\d{8}T\\d{6}Z";
            };
        }
    }

    private record Time(Optional<String> field, DateTimeFormatter formatter) implements Part {
        @Override
        public String render(StreamContext context, long sequence, int width, Row row) {
            if (field.isEmpty()) {
                return formatter.format(context.runStartedAt().atOffset(ZoneOffset.UTC));
            }
            Optional<Object> value = row.get(field.get());
            return value.isEmpty() ? NO_VALUE : formatter.format(utc(value.get()));
        }

        private static TemporalAccessor utc(Object value) {
            if (value instanceof OffsetDateTime instant) {
                return instant.withOffsetSameInstant(ZoneOffset.UTC);
            }
            return value instanceof LocalDateTime ? (LocalDateTime) value : (LocalDate) value;
        }

        @Override
        public String regex() {
            return ".+?";
        }
    }

    private record Value(String field) implements Part {
        @Override
        public String render(StreamContext context, long sequence, int width, Row row) {
            Optional<Object> value = row.get(field);
            if (value.isEmpty()) {
                return NO_VALUE;
            }
            try {
                return escape(TextValues.format(row.schema().field(field).orElseThrow(),
                        value.get()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("field '" + field + "' cannot be written", e);
            }
        }

        @Override
        public String regex() {
            return ".+?";
        }
    }
}
