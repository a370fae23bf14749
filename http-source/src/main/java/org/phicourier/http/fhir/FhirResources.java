package org.phicourier.http.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.phicourier.http.internal.BodyFault;
import org.phicourier.http.internal.ElementReader;
import org.phicourier.http.internal.JsonValues;
import org.phicourier.http.internal.OperationOutcomes;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks resources of one type and turns them into rows: from search Bundle entries, or from
 * bulk export lines. Outcomes in a search are surfaced: an error fails the stream, a warning is
 * logged by its codes. Not thread-safe.
 */
final class FhirResources {
    private static final Logger LOG = LoggerFactory.getLogger(FhirResources.class);

    private final String stream;
    private final String type;
    private final Schema schema;
    private final AtomicLong skipped = new AtomicLong();

    FhirResources(String stream, String type) {
        this.stream = stream;
        this.type = type;
        this.schema = FhirRecords.schema(type);
    }

    Schema schema() {
        return schema;
    }

    /** Reads the entries of searchset Bundles. */
    ElementReader entries() {
        return this::entry;
    }

    /** Reads the lines of bulk export files. */
    ElementReader lines() {
        return resource -> Optional.of(resource(resource));
    }

    private Optional<Row> entry(JsonNode entry) {
        if (!entry.isObject()) {
            throw new BodyFault("the Bundle entry is a JSON " + JsonValues.kind(entry)
                    + ", not an object");
        }
        JsonNode resource = entry.get("resource");
        if (resource == null || !resource.isObject()) {
            throw new BodyFault("the Bundle entry has no resource");
        }
        String mode = entry.path("search").path("mode").asText("match");
        if (mode.equals("outcome") || OperationOutcomes.is(resource) && !isOutcomeStream()) {
            outcome(resource);
            return Optional.empty();
        }
        if (mode.equals("include")) {
            skipped.incrementAndGet();
            return Optional.empty();
        }
        return Optional.of(resource(resource));
    }

    private boolean isOutcomeStream() {
        return type.equals("OperationOutcome");
    }

    private void outcome(JsonNode outcome) {
        if (OperationOutcomes.failing(outcome)) {
            throw new BodyFault("the search reports an error: "
                    + OperationOutcomes.summary(outcome));
        }
        LOG.warn("stream '{}': the server reports {}", stream, OperationOutcomes.summary(outcome));
    }

    private Row resource(JsonNode resource) {
        if (!resource.isObject()) {
            throw new BodyFault("the resource is a JSON " + JsonValues.kind(resource)
                    + ", not an object");
        }
        String actual = resource.path("resourceType").asText("");
        if (actual.isEmpty()) {
            throw new BodyFault("the resource has no resourceType");
        }
        if (!actual.equals(type)) {
            throw new BodyFault("the resource is a " + (FhirRecords.isType(actual) ? actual : "?")
                    + ", expected " + type);
        }
        if (!resource.path("id").isTextual()) {
            throw new BodyFault("the " + type + " resource has no id");
        }
        return Row.of(schema, resource);
    }

    long skippedIncludes() {
        return skipped.get();
    }

    @Override
    public String toString() {
        return "FhirResources[" + stream + "]";
    }
}
