package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.phicourier.testing.TestServices;

/**
 * Collects, from the shared data, every patient name, SSN, MRN, phone, e-mail, street address,
 * full ZIP, passport and driver's licence number and full birth date, so that tests can search
 * every output byte for them.
 */
final class SharedPhi {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, Set<String>> byKind = new LinkedHashMap<>();

    static Path data() {
        return TestServices.sharedData();
    }

    static Path csv() {
        return data().resolve("synthea-csv");
    }

    static List<Path> fhirFolders() {
        Path fhir = data().resolve("fhir-r4");
        return List.of(fhir.resolve("synthea-bundles"), fhir.resolve("bulk-ndjson"),
                fhir.resolve("hl7-examples"));
    }

    static SharedPhi collect() {
        SharedPhi phi = new SharedPhi();
        phi.fromCsv(csv().resolve("patients.csv"));
        fhirFolders().forEach(phi::fromFhirFolder);
        return phi;
    }

    private void add(String kind, String value) {
        if (value != null && value.strip().length() >= 4
                && (!kind.equals("mrn") || value.matches(".*[0-9].*"))) {
            byKind.computeIfAbsent(kind, k -> new TreeSet<>()).add(value.strip());
        }
    }

    private void fromCsv(Path patients) {
        try {
            List<String> lines = Files.readAllLines(patients);
            List<String> header = List.of(lines.get(0).split(",", -1));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                for (String name : List.of("FIRST", "LAST", "MAIDEN")) {
                    add("name", cells[header.indexOf(name)]);
                }
                add("ssn", cells[header.indexOf("SSN")]);
                add("licence", cells[header.indexOf("DRIVERS")]);
                add("passport", cells[header.indexOf("PASSPORT")]);
                add("street", cells[header.indexOf("ADDRESS")]);
                add("zip", cells[header.indexOf("ZIP")]);
                add("birthDate", cells[header.indexOf("BIRTHDATE")]);
                add("mrn", cells[header.indexOf("Id")]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fromFhirFolder(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".ndjson") && !name.equals("log.ndjson")) {
                    for (String line : Files.readAllLines(file)) {
                        resource(JSON.readTree(line));
                    }
                } else if (name.endsWith(".json")) {
                    resource(JSON.readTree(file.toFile()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void resource(JsonNode resource) {
        if (resource.path("resourceType").asText().equals("Bundle")) {
            resource.path("entry").forEach(e -> resource(e.path("resource")));
            return;
        }
        if (resource.path("resourceType").asText().equals("Patient")) {
            patient(resource);
        }
    }

    private void patient(JsonNode patient) {
        add("mrn", patient.path("id").asText(null));
        List<JsonNode> names = new ArrayList<>();
        patient.path("name").forEach(names::add);
        patient.path("contact").forEach(c -> names.add(c.path("name")));
        for (JsonNode name : names) {
            add("name", name.path("family").asText(null));
            name.path("given").forEach(g -> add("name", g.asText()));
        }
        patient.path("identifier").forEach(this::identifier);
        patient.path("telecom").forEach(t -> add(t.path("system").asText().equals("email")
                ? "email" : "phone", t.path("value").asText(null)));
        patient.path("address").forEach(a -> {
            a.path("line").forEach(l -> add("street", l.asText()));
            add("zip", a.path("postalCode").asText(null));
        });
        add("birthDate", patient.path("birthDate").asText(null));
        patient.path("extension").forEach(e -> {
            if (e.path("url").asText().endsWith("mothersMaidenName")) {
                add("name", e.path("valueString").asText(null));
            }
        });
    }

    private void identifier(JsonNode identifier) {
        String code = identifier.path("type").path("coding").path(0).path("code").asText("");
        String system = identifier.path("system").asText("");
        String kind = system.contains("us-ssn") ? "ssn" : code.equals("DL") ? "licence"
                : code.equals("PPN") ? "passport" : "mrn";
        add(kind, identifier.path("value").asText(null));
    }

    /** Returns every collected value with its kind, for searching. */
    Map<String, Set<String>> values() {
        return byKind;
    }
}
