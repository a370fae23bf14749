package org.phicourier.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.phicourier.testing.SyntheaCsv;

/**
 * The PHI values of test input and a search for them in text, the way SyntheaToS3IT searches:
 * a value counts when it stands alone, not inside a longer run of letters and digits (a code may
 * occur by chance inside a hexadecimal digest, which is no leak).
 */
final class PhiValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FHIR_PHI_MEMBERS = Set.of("family", "given", "line",
            "city", "postalCode", "birthDate", "text", "value");

    private PhiValues() {
    }

    /** Every distinct CSV value long enough not to occur by chance in a log line. */
    static Set<String> ofCsv(Collection<SyntheaCsv> tables) {
        Set<String> values = new TreeSet<>();
        tables.forEach(csv -> csv.rows().forEach(row -> row.stream()
                .filter(v -> v.length() >= 6).forEach(values::add)));
        return values;
    }

    /** Names, addresses, birth dates, identifiers and contacts of FHIR Patient resources. */
    static Set<String> ofFhirPatients(Path ndjson) throws Exception {
        Set<String> values = new TreeSet<>();
        for (String line : Files.readAllLines(ndjson)) {
            if (!line.isBlank()) {
                collect(JSON.readTree(line), "", values);
            }
        }
        return values;
    }

    private static void collect(JsonNode node, String member, Set<String> values) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collect(field.getValue(), field.getKey(), values);
            }
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, member, values));
        } else if (node.isTextual() && FHIR_PHI_MEMBERS.contains(member)
                && node.asText().length() >= 6 && !node.asText().startsWith("http")) {
            values.add(node.asText());
        }
    }

    /** Returns the values that stand alone somewhere in the text. */
    static List<String> standingAlone(String text, Set<String> values) {
        List<String> found = new ArrayList<>();
        for (String value : values) {
            for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
                if (!alphanumericAt(text, at - 1) && !alphanumericAt(text, at + value.length())) {
                    found.add(value);
                    break;
                }
            }
        }
        return found;
    }

    private static boolean alphanumericAt(String text, int index) {
        return index >= 0 && index < text.length()
                && Character.isLetterOrDigit(text.charAt(index));
    }
}
