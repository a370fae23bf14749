package org.phicourier.http.fhir;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import org.phicourier.http.internal.BodyFault;
import org.phicourier.http.internal.Json;
import org.phicourier.http.internal.Links;
import org.phicourier.http.internal.OperationOutcomes;
import org.phicourier.http.internal.PageInfo;
import org.phicourier.http.internal.PageTurner;
import org.phicourier.http.internal.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each page of a FHIR search (a Bundle of type searchset) and follows its next link on the
 * server's origin. Remembers the server's time of the search from the first page: its
 * {@code Bundle.meta.lastUpdated}, else its {@code Date} header. Not thread-safe.
 */
final class SearchPages implements PageTurner {
    private static final Logger LOG = LoggerFactory.getLogger(SearchPages.class);
    private static final JsonPointer RESOURCE_TYPE = JsonPointer.compile("/resourceType");
    private static final JsonPointer TYPE = JsonPointer.compile("/type");
    private static final JsonPointer LINK = JsonPointer.compile("/link");
    private static final JsonPointer LAST_UPDATED = JsonPointer.compile("/meta/lastUpdated");
    private static final JsonPointer ISSUE = JsonPointer.compile("/issue");

    private final String stream;
    private final URI base;
    private Optional<OffsetDateTime> serverTime = Optional.empty();

    SearchPages(String stream, URI base) {
        this.stream = stream;
        this.base = base;
    }

    @Override
    public Set<JsonPointer> captures() {
        return Set.of(RESOURCE_TYPE, TYPE, LINK, LAST_UPDATED, ISSUE);
    }

    @Override
    public Optional<URI> next(PageInfo page) {
        checkBundle(page);
        if (page.number() == 1) {
            serverTime = ServerTimes.instant(page.value(LAST_UPDATED))
                    .or(() -> ServerTimes.date(page.headers()));
            if (serverTime.isEmpty()) {
                LOG.warn("stream '{}': the server gave no time for the search (neither"
                        + " Bundle.meta.lastUpdated nor Date); the bookmark will not advance",
                        stream);
            }
        }
        return Links.fhirNext(page.value(LINK))
                .map(link -> Urls.sameOriginLink(page.uri(), link, base));
    }

    private static void checkBundle(PageInfo page) {
        String resourceType = page.value(RESOURCE_TYPE).map(JsonNode::asText).orElse("");
        if (resourceType.equals("OperationOutcome")) {
            JsonNode outcome = Json.MAPPER.createObjectNode()
                    .set("issue", page.value(ISSUE).orElse(null));
            throw new BodyFault("the server answered an OperationOutcome instead of a Bundle: "
                    + OperationOutcomes.summary(outcome));
        }
        if (!resourceType.equals("Bundle")) {
            throw new BodyFault(resourceType.isEmpty() ? "the body is not a FHIR resource (no"
                    + " resourceType)" : "the body is not a Bundle");
        }
        String type = page.value(TYPE).map(JsonNode::asText).orElse("");
        if (!type.equals("searchset")) {
            throw new BodyFault(type.isEmpty() ? "the Bundle has no type"
                    : "the Bundle is not of type searchset");
        }
    }

    /**
     * Returns the server's time of the search, once the first page was read.
     *
     * @return the time, when the server gave one
     */
    Optional<OffsetDateTime> serverTime() {
        return serverTime;
    }

    @Override
    public String toString() {
        return "SearchPages[" + stream + "]";
    }
}
