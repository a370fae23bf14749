package org.phicourier.files;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
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
 * Reads FHIR R4 resources from files: bulk-export NDJSON ({@code .ndjson}, one resource per
 * line) and JSON ({@code .json}: one resource, or a Bundle whose entries' resources are read).
 * Each resource type is one stream named after it, holding rows of one field {@code resource}
 * (JSON): the convention every FHIR source of PHI Courier follows. {@code Patient} comes first,
 * so that later streams can be scrubbed of the names their patients carry; the other types
 * follow in name order. Decimals keep their written precision.
 *
 * <p>Not thread-safe; a pipeline uses it from one run at a time. Errors name the file and line,
 * never a value.
 */
public final class FhirFileSource implements Source {
    /** The schema of every stream: one JSON field named {@code resource}. */
    public static final Schema SCHEMA = Schema.of(Field.of("resource", FieldType.JSON));

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int BATCH = 200;

    private final List<Path> files;
    private final Map<Path, Set<String>> typesByFile = new HashMap<>();

    private FhirFileSource(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /**
     * Reads files and every {@code .json} and {@code .ndjson} file inside directories given.
     *
     * @param paths files or directories
     * @return the source
     * @throws ConfigurationException when a path cannot be listed or nothing is found
     */
    public static FhirFileSource of(Path... paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(Objects.requireNonNull(path, "path"))) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(FhirFileSource::isFhirFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new ConfigurationException("cannot list FHIR directory " + path);
                }
            } else {
                files.add(path);
            }
        }
        if (files.isEmpty()) {
            throw new ConfigurationException("no .json or .ndjson file found");
        }
        return new FhirFileSource(files);
    }

    private static boolean isFhirFile(Path path) {
        String name = path.getFileName().toString();
        return (name.endsWith(".ndjson") || name.endsWith(".json")) && !name.equals("log.ndjson");
    }

    @Override
    public List<StreamDescriptor> discover() {
        TreeSet<String> types = new TreeSet<>();
        typesByFile.clear();
        for (Path file : files) {
            Set<String> inFile = new HashSet<>();
            each(file, resource -> inFile.add(type(file, resource)));
            typesByFile.put(file, inFile);
            types.addAll(inFile);
        }
        List<StreamDescriptor> streams = new ArrayList<>();
        if (types.remove("Patient")) {
            streams.add(StreamDescriptor.of("Patient", SCHEMA));
        }
        types.forEach(type -> streams.add(StreamDescriptor.of(type, SCHEMA)));
        return streams;
    }

    private static String type(Path file, JsonNode resource) {
        String type = resource.path("resourceType").asText("");
        if (!type.matches("[A-Z][A-Za-z]{1,63}")) {
            throw new SourceException("FHIR file " + file + " holds a resource without a valid"
                    + " resourceType");
        }
        return type;
    }

    /** Calls the consumer for every resource of a file, entries of bundles included. */
    private static void each(Path file, Consumer<JsonNode> consumer) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (file.getFileName().toString().endsWith(".ndjson")) {
                long line = 0;
                for (String text = in.readLine(); text != null; text = in.readLine()) {
                    line++;
                    if (!text.isBlank()) {
                        expand(parse(file, line, text), consumer);
                    }
                }
            } else {
                expand(JSON.readTree(in), consumer);
            }
        } catch (IOException e) {
            throw new SourceException("cannot read FHIR file " + file + ": not valid JSON");
        }
    }

    private static JsonNode parse(Path file, long line, String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new SourceException("FHIR file " + file + ", line " + line
                    + ": not valid JSON");
        }
    }

    private static void expand(JsonNode resource, Consumer<JsonNode> consumer) {
        if (resource.path("resourceType").asText("").equals("Bundle")) {
            for (JsonNode entry : resource.path("entry")) {
                if (entry.path("resource").isObject()) {
                    expand(entry.path("resource"), consumer);
                }
            }
            return;
        }
        consumer.accept(resource);
    }

    @Override
    public StreamReader open(StreamDescriptor stream) {
        List<JsonNode> buffer = new ArrayList<>();
        return new StreamReader() {
            private final Iterator<Path> remaining = files.stream().filter(f ->
                    typesByFile.getOrDefault(f, Set.of(stream.name())).contains(stream.name()))
                    .iterator();
            private long position = 1;

            @Override
            public Optional<RowBatch> next() {
                while (buffer.size() < BATCH && remaining.hasNext()) {
                    Path file = remaining.next();
                    each(file, r -> {
                        if (r.path("resourceType").asText("").equals(stream.name())) {
                            buffer.add(r);
                        }
                    });
                }
                if (buffer.isEmpty()) {
                    return Optional.empty();
                }
                List<Row> rows = new ArrayList<>();
                buffer.forEach(r -> rows.add(Row.of(SCHEMA, r)));
                buffer.clear();
                RowBatch batch = RowBatch.of(SCHEMA, rows, position);
                position += rows.size();
                return Optional.of(batch);
            }

            @Override
            public void close() {
                buffer.clear();
            }
        };
    }

    @Override
    public String toString() {
        return "FhirFileSource[" + files.size() + " files]";
    }
}
