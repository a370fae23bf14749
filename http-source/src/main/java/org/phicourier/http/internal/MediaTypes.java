package org.phicourier.http.internal;

import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Classifies the {@code Content-Type} of responses before their body is read. */
public final class MediaTypes {
    /** What a JSON body may be labelled as. */
    public static final String JSON_EXPECTATION = "JSON (application/json or application/*+json)";
    /** What an NDJSON body may be labelled as. */
    public static final String NDJSON_EXPECTATION =
            "NDJSON (application/fhir+ndjson, application/ndjson or application/octet-stream)";

    private static final Set<String> NDJSON = Set.of("application/fhir+ndjson",
            "application/ndjson", "application/x-ndjson", "application/octet-stream",
            "binary/octet-stream");

    private MediaTypes() {
    }

    /**
     * Returns the media type without parameters, in lower case.
     *
     * @param headers response headers
     * @return for example {@code application/fhir+json}; empty when the header is missing
     */
    public static Optional<String> of(HttpHeaders headers) {
        return headers.firstValue("Content-Type")
                .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(value -> !value.isEmpty());
    }

    /**
     * Tells whether a media type labels JSON.
     *
     * @param type the media type
     * @return true for {@code application/json}, {@code application/*+json} and the legacy
     *     {@code application/json+fhir}
     */
    public static boolean isJson(String type) {
        return type.equals("application/json") || type.equals("application/json+fhir")
                || (type.startsWith("application/") && type.endsWith("+json"));
    }

    /**
     * Tells whether a media type may label newline-delimited JSON. Generic binary types are
     * accepted because storage services serve export files that way; the content is still
     * parsed line by line and refused when it is not JSON.
     *
     * @param type the media type
     * @return true for the NDJSON types and generic binary
     */
    public static boolean isNdjson(String type) {
        return NDJSON.contains(type);
    }
}
