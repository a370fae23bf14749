package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.phicourier.ConfigurationException;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;

/**
 * Says which field of a stream identifies the patient a record belongs to, so that every date
 * of that patient is shifted by the same offset in every stream, source and run: a patient id
 * column, FHIR {@code Patient.id}, or a reference such as {@code Encounter.subject}.
 *
 * <p>References ({@code Patient/123}, {@code urn:uuid:123}) and bare ids ({@code 123}) name the
 * same subject. Instances are immutable and thread-safe.
 */
public final class SubjectResolver {
    private static final List<String> PATIENT_COLUMNS = List.of("patient", "patient_id",
            "patientid", "subject_id", "subject", "person_id", "personid", "member_id");
    private static final List<String> PATIENT_STREAMS = List.of("patients", "patient",
            "person", "persons", "people", "members");
    private static final List<String> FHIR_REFERENCES = List.of("subject", "patient",
            "beneficiary", "individual");

    private enum Kind { NONE, FIELD, JSON_PATH, FHIR }

    private final Kind kind;
    private final String target;

    private SubjectResolver(Kind kind, String target) {
        this.kind = kind;
        this.target = target;
    }

    /**
     * The subject is the value of a field (a patient id column).
     *
     * @param field the field name, matched ignoring case
     * @return the resolver
     */
    public static SubjectResolver field(String field) {
        return new SubjectResolver(Kind.FIELD, Objects.requireNonNull(field, "field"));
    }

    /**
     * The subject is a value inside a JSON field, by dotted path whose first segment is the
     * field: {@code resource.subject.reference}. The first array element is taken.
     *
     * @param path the path
     * @return the resolver
     */
    public static SubjectResolver jsonPath(String path) {
        if (!Objects.requireNonNull(path, "path").contains(".")) {
            throw new ConfigurationException("subject path '" + path
                    + "' must start with the JSON field, such as resource.subject.reference");
        }
        return new SubjectResolver(Kind.JSON_PATH, path);
    }

    /**
     * The FHIR convention for a field {@code resource}: {@code Patient.id} for Patient
     * resources, otherwise the first of {@code subject}, {@code patient}, {@code beneficiary}
     * and {@code individual} references.
     *
     * @return the resolver
     */
    public static SubjectResolver fhir() {
        return new SubjectResolver(Kind.FHIR, "resource");
    }

    /**
     * The stream's records belong to no patient; their dates are generalised to years instead
     * of shifted.
     *
     * @return the resolver
     */
    public static SubjectResolver none() {
        return new SubjectResolver(Kind.NONE, "");
    }

    /** Chooses a resolver for a stream that has none configured, by its shape and names. */
    static SubjectResolver infer(StreamDescriptor stream) {
        Schema schema = stream.schema();
        if (schema.size() == 1 && schema.field(0).type() == FieldType.JSON
                && schema.field(0).name().equals("resource")) {
            return fhir();
        }
        if (PATIENT_STREAMS.contains(stream.name().toLowerCase(Locale.ROOT))
                && find(schema, "id").isPresent()) {
            return field(find(schema, "id").get());
        }
        for (String candidate : PATIENT_COLUMNS) {
            Optional<String> column = find(schema, candidate);
            if (column.isPresent()) {
                return field(column.get());
            }
        }
        return none();
    }

    private static Optional<String> find(Schema schema, String lowerName) {
        return schema.names().stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(lowerName))
                .findFirst();
    }

    boolean isNone() {
        return kind == Kind.NONE;
    }

    /** Binds to a stream's schema, checking that the field exists. */
    Function<Row, Optional<String>> bind(StreamDescriptor stream) {
        if (kind == Kind.NONE) {
            return row -> Optional.empty();
        }
        String column = kind == Kind.FIELD ? target : target.split("\\.", 2)[0];
        int index = find(stream.schema(), column.toLowerCase(Locale.ROOT))
                .map(stream.schema()::indexOf).orElseThrow(() -> new ConfigurationException(
                        "stream '" + stream.name() + "': the subject field '" + column
                                + "' does not exist"));
        switch (kind) {
            case FIELD:
                return row -> text(row.get(index));
            case JSON_PATH:
                String[] path = target.split("\\.");
                return row -> json(row.get(index), path);
            default:
                return row -> fhirSubject(row.get(index));
        }
    }

    private static Optional<String> text(Object value) {
        if (value == null || value instanceof JsonNode || value instanceof byte[]) {
            return Optional.empty();
        }
        String text = String.valueOf(value).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static Optional<String> json(Object value, String[] path) {
        if (!(value instanceof JsonNode)) {
            return Optional.empty();
        }
        JsonNode node = (JsonNode) value;
        for (int i = 1; i < path.length && !node.isMissingNode(); i++) {
            node = node.isArray() ? node.path(0) : node;
            node = node.path(path[i]);
        }
        return node.isValueNode() ? text(node.asText()) : Optional.empty();
    }

    private static Optional<String> fhirSubject(Object value) {
        if (!(value instanceof JsonNode)) {
            return Optional.empty();
        }
        JsonNode resource = (JsonNode) value;
        if (resource.path("resourceType").asText("").equals("Patient")) {
            return text(resource.path("id").asText(""));
        }
        for (String name : FHIR_REFERENCES) {
            JsonNode reference = resource.path(name);
            reference = reference.isArray() ? reference.path(0) : reference;
            String text = reference.path("reference").asText("");
            if (!text.isBlank() && !text.startsWith("#")) {
                return Optional.of(text.strip());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "SubjectResolver[" + kind.name().toLowerCase(Locale.ROOT)
                + (target.isEmpty() ? "" : " " + target) + "]";
    }
}
