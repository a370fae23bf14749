package org.phicourier.http.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.phicourier.http.internal.BodyFault;

/**
 * The completion manifest of a Bulk Data export: its transaction time, whether downloads need the
 * access token, and the output and error files.
 *
 * @param transactionTime the server's time the export covers changes up to
 * @param requiresAccessToken whether the files must be fetched with the access token
 * @param outputs the NDJSON files, in manifest order
 * @param errors the OperationOutcome files
 * @param deleted how many files of deleted resources the manifest lists (not read)
 */
record BulkManifest(OffsetDateTime transactionTime, boolean requiresAccessToken,
        List<OutputFile> outputs, List<OutputFile> errors, int deleted) {

    /**
     * One file of the manifest.
     *
     * @param type its resource type
     * @param url where to fetch it
     * @param count how many resources it holds, or -1 when the server does not say
     */
    record OutputFile(String type, URI url, long count) {
    }

    static BulkManifest parse(JsonNode manifest, URI statusUrl) {
        if (manifest == null || !manifest.isObject()) {
            throw new BodyFault("the export manifest is not a JSON object");
        }
        OffsetDateTime time = ServerTimes.instant(java.util.Optional.ofNullable(
                manifest.get("transactionTime"))).orElseThrow(() -> new BodyFault(
                        "the export manifest has no valid transactionTime"));
        boolean token = !manifest.path("requiresAccessToken").isBoolean()
                || manifest.path("requiresAccessToken").booleanValue();
        return new BulkManifest(time, token, files(manifest, "output", statusUrl),
                files(manifest, "error", statusUrl), manifest.path("deleted").size());
    }

    private static List<OutputFile> files(JsonNode manifest, String field, URI statusUrl) {
        JsonNode list = manifest.path(field);
        if (!list.isMissingNode() && !list.isArray()) {
            throw new BodyFault("the export manifest's " + field + " is not an array");
        }
        List<OutputFile> files = new ArrayList<>();
        for (JsonNode file : list) {
            String type = file.path("type").asText("");
            String url = file.path("url").asText("");
            if (!FhirRecords.isType(type) || url.isBlank()) {
                throw new BodyFault("the export manifest's " + field + " entry "
                        + (files.size() + 1) + " lacks a resource type or URL");
            }
            files.add(new OutputFile(type, resolve(statusUrl, url, field, files.size() + 1),
                    file.path("count").asLong(-1)));
        }
        return files;
    }

    private static URI resolve(URI statusUrl, String url, String field, int entry) {
        try {
            return statusUrl.resolve(new URI(url.strip()));
        } catch (java.net.URISyntaxException e) {
            throw new BodyFault("the export manifest's " + field + " entry " + entry
                    + " has a malformed URL");
        }
    }
}
