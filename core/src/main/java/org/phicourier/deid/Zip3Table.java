package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.phicourier.ConfigurationException;

/**
 * The three-digit ZIP prefixes whose areas hold 20,000 people or fewer, which Safe Harbor turns
 * into {@code 000}. The list depends on the census it was computed from, so it is versioned
 * data: the built-in list is the one HHS published from the 2000 Census; a newer one can be
 * loaded from a file of the same shape. Instances are immutable and thread-safe.
 */
public final class Zip3Table {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUILT_IN = "zip3-restricted-census2000.json";
    private static final Pattern SHORT = Pattern.compile("[0-9]{3,4}");
    private static final Pattern ZIP = Pattern.compile("[0-9]{5}(?:-?[0-9]{4})?");

    private final String version;
    private final Set<String> restricted;

    private Zip3Table(String version, Set<String> restricted) {
        this.version = version;
        this.restricted = Set.copyOf(restricted);
    }

    /**
     * Returns the built-in list (HHS, 2000 Census: 17 prefixes).
     *
     * @return the table
     */
    public static Zip3Table builtIn() {
        try (InputStream in = Zip3Table.class.getResourceAsStream(BUILT_IN)) {
            return read(JSON.readTree(in), BUILT_IN);
        } catch (IOException e) {
            throw new IllegalStateException("built-in ZIP3 table is missing", e);
        }
    }

    /**
     * Loads a list from a JSON file: {@code {"version": "...", "restrictedPrefixes": ["036"]}}.
     *
     * @param file the file
     * @return the table
     * @throws ConfigurationException when the file is missing or malformed
     */
    public static Zip3Table fromFile(Path file) {
        try {
            return read(JSON.readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new ConfigurationException("cannot read ZIP3 table " + file);
        }
    }

    private static Zip3Table read(JsonNode root, String where) {
        String version = root.path("version").asText("");
        Set<String> prefixes = new HashSet<>();
        root.path("restrictedPrefixes").forEach(p -> prefixes.add(p.asText()));
        if (version.isEmpty() || prefixes.isEmpty()
                || !prefixes.stream().allMatch(p -> p.matches("[0-9]{3}"))) {
            throw new ConfigurationException("ZIP3 table " + where + " needs a \"version\" and"
                    + " \"restrictedPrefixes\" of three digits each");
        }
        return new Zip3Table(version, prefixes);
    }

    /**
     * Returns the version of the list, recorded in reports.
     *
     * @return for example {@code hhs-census-2000}
     */
    public String version() {
        return version;
    }

    /**
     * Generalises a ZIP code: its first three digits, or {@code 000} when they are restricted.
     *
     * @param zip five digits, optionally followed by four more; three or four digits are taken
     *     as a ZIP that lost its leading zeros to numeric storage
     * @return the three-digit prefix
     * @throws IllegalArgumentException when the value is not a ZIP code; the message never
     *     quotes it
     */
    public String zip3(String zip) {
        String text = zip.strip();
        if (SHORT.matcher(text).matches()) {
            text = "0".repeat(5 - text.length()) + text;
        }
        if (!ZIP.matcher(text).matches()) {
            throw new BadValueException("not a ZIP code");
        }
        String prefix = text.substring(0, 3);
        return restricted.contains(prefix) ? "000" : prefix;
    }

    @Override
    public String toString() {
        return "Zip3Table[" + version + ", " + restricted.size() + " restricted]";
    }
}
