package org.phicourier.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * A Synthea 3.3.0 population: generated once with a fixed seed by Synthea's own generator in a
 * child JVM (its class path comes from {@code benchmarks/synthea/pom.xml}), kept under the
 * cache folder, and loaded with {@code COPY} into a PostgreSQL schema of the benchmark's own.
 * Columns whose every value is a timestamp, a date or a decimal number get that type, as a
 * real schema would have them (integer-looking codes and ZIP codes stay text); the rest are
 * text. Later runs reuse both.
 */
final class SyntheaData {
    private static final String VERSION = "3.3.0";
    private static final Path CLASSPATH = Path.of("benchmarks/synthea/target/classpath.txt");
    private static final String[][] TYPES = {
        {"timestamptz", "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"},
        {"date", "^\\d{4}-\\d{2}-\\d{2}$"},
        {"numeric", "^-?\\d+\\.\\d+$"},
    };

    private final int patients;
    private final long seed;
    private final Path folder;

    SyntheaData(Path cache, int patients, long seed) {
        this.patients = patients;
        this.seed = seed;
        this.folder = cache.resolve("synthea-" + VERSION + "-p" + patients + "-s" + seed);
    }

    String schema() {
        return "phi_courier_synthea_p" + patients + "_s" + seed;
    }

    /** Generates the population unless the cache holds it, then loads it unless loaded. */
    void ensure(Connection connection) throws Exception {
        Path csv = folder.resolve("csv");
        if (!Files.exists(folder.resolve("complete"))) {
            generate();
        }
        if (!loaded(connection)) {
            load(connection, csv);
        }
    }

    private void generate() throws Exception {
        System.err.println("generating " + patients + " Synthea patients (seed " + seed
                + ") into " + folder);
        Files.createDirectories(folder);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process synthea = new ProcessBuilder(java, "-Xmx2g", "-cp",
                Files.readString(CLASSPATH).strip(), "App", "-s", Long.toString(seed),
                "-cs", Long.toString(seed), "-r", "20250101", "-p", Integer.toString(patients),
                "--exporter.baseDirectory", folder.toString(),
                "--exporter.csv.export", "true", "--exporter.fhir.export", "false",
                "--exporter.hospital.fhir.export", "false",
                "--exporter.practitioner.fhir.export", "false",
                "--exporter.metadata.export", "false")
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("generator.log").toFile()).start();
        if (!synthea.waitFor(3, TimeUnit.HOURS) || synthea.exitValue() != 0) {
            throw new IllegalStateException("Synthea failed; see " + folder
                    + "/generator.log");
        }
        Files.writeString(folder.resolve("complete"), VERSION + "\n");
    }

    private boolean loaded(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("SELECT to_regclass('" + schema()
                        + "._loaded_typed') IS NOT NULL")) {
            exists.next();
            return exists.getBoolean(1);
        }
    }

    private void load(Connection connection, Path csv) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema() + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema());
            for (Path file : csvFiles(csv)) {
                System.err.println("loading " + file.getFileName());
                String table = table(file);
                statement.execute("CREATE TABLE " + table + " (" + columns(file) + ")");
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table
                            + " FROM STDIN WITH (FORMAT csv, HEADER true)", reader);
                }
                type(statement, table, names(file));
                statement.execute("ANALYZE " + table);
            }
            statement.execute("CREATE TABLE " + schema() + "._loaded_typed (at timestamptz)");
        }
    }

    private static List<Path> csvFiles(Path csv) throws IOException {
        try (Stream<Path> files = Files.list(csv)) {
            return files.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
    }

    private String table(Path file) {
        return schema() + "." + file.getFileName().toString().replace(".csv", "");
    }

    private static List<String> names(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return Arrays.stream(reader.readLine().split(","))
                    .map(name -> "\"" + name.strip().toLowerCase(Locale.ROOT) + "\"").toList();
        }
    }

    private static String columns(Path file) throws IOException {
        return names(file).stream().map(name -> name + " text")
                .collect(Collectors.joining(", "));
    }

    /** Gives each column the first type all its values fit, in one pass and one rewrite. */
    private static void type(Statement statement, String table, List<String> names)
            throws SQLException {
        List<String> tests = new ArrayList<>();
        for (String name : names) {
            for (String[] type : TYPES) {
                tests.add("coalesce(bool_and(" + name + " ~ '" + type[1] + "'), false)");
            }
        }
        List<String> changes = new ArrayList<>();
        try (ResultSet fits = statement.executeQuery("SELECT " + String.join(", ", tests)
                + " FROM " + table)) {
            fits.next();
            for (int column = 0; column < names.size(); column++) {
                for (int type = 0; type < TYPES.length; type++) {
                    if (fits.getBoolean(column * TYPES.length + type + 1)) {
                        changes.add("ALTER COLUMN " + names.get(column) + " TYPE "
                                + TYPES[type][0] + " USING " + names.get(column) + "::"
                                + TYPES[type][0]);
                        break;
                    }
                }
            }
        }
        if (!changes.isEmpty()) {
            statement.execute("ALTER TABLE " + table + " " + String.join(", ", changes));
        }
    }

    /** The tables to time, with their sizes. */
    List<Target> targets(Connection connection, List<String> tables) throws Exception {
        List<Target> targets = new ArrayList<>();
        for (String name : tables) {
            String table = schema() + "." + name;
            targets.add(new Target("synthea-" + name, table, BenchmarkTable.count(connection,
                    table), BenchmarkTable.copyBytes(table)));
        }
        return targets;
    }
}
