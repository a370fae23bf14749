package org.phicourier.http.fhir;

import java.util.regex.Pattern;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;

/**
 * The shape in which FHIR resources travel through a pipeline: one row per resource, with one
 * field, {@value #RESOURCE_FIELD}, of type {@link FieldType#JSON} holding the whole parsed
 * resource, so that de-identification sees the nested resource as the server sent it (decimals
 * keep their precision). The stream is named after the resource type, and the field's source type
 * reads {@code FHIR <type>}, for example {@code FHIR Patient}.
 */
public final class FhirRecords {
    /** The name of the field holding the resource. */
    public static final String RESOURCE_FIELD = "resource";

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

    private FhirRecords() {
    }

    /**
     * Returns the schema of a stream of resources of one type.
     *
     * @param resourceType the FHIR resource type, for example {@code Patient}
     * @return the one-field schema
     * @throws ConfigurationException when the type is not a FHIR resource type name
     */
    public static Schema schema(String resourceType) {
        return Schema.of(Field.builder(RESOURCE_FIELD, FieldType.JSON).nullable(false)
                .sourceType("FHIR " + checkType(resourceType)).build());
    }

    /**
     * Checks a FHIR resource type name: an upper-case letter, then letters.
     *
     * @param resourceType the name
     * @return the name
     * @throws ConfigurationException when it is not one
     */
    public static String checkType(String resourceType) {
        if (resourceType == null || !TYPE.matcher(resourceType).matches()) {
            throw new ConfigurationException("'" + resourceType + "' is not a FHIR resource type"
                    + " name, such as Patient");
        }
        return resourceType;
    }

    static boolean isType(String text) {
        return text != null && TYPE.matcher(text).matches();
    }
}
