package org.phicourier.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.phicourier.http.internal.BodyFault;
import org.phicourier.http.internal.Links;
import org.phicourier.http.internal.PageInfo;
import org.phicourier.http.internal.PageTurner;
import org.phicourier.http.internal.Urls;

/** Applies a {@link Pagination} to the pages of one REST stream. Not thread-safe. */
final class RestPageTurner implements PageTurner {
    private static final JsonPointer FHIR_LINK = JsonPointer.compile("/link");

    private final Pagination pagination;
    private final URI first;
    private final JsonPointer records;
    private final Set<JsonPointer> captures = new HashSet<>();
    private long recordsSoFar;
    private int pages;

    RestPageTurner(Pagination pagination, URI first, JsonPointer records) {
        this.pagination = pagination;
        this.first = first;
        this.records = records;
        if (pagination.pointer() != null) {
            captures.add(pagination.pointer());
        }
        if (pagination.style() == Pagination.Style.FHIR_LINK) {
            captures.add(FHIR_LINK);
        }
        pagination.total().ifPresent(captures::add);
        pagination.hasMore().ifPresent(captures::add);
    }

    @Override
    public Set<JsonPointer> captures() {
        return Set.copyOf(captures);
    }

    @Override
    public Optional<URI> next(PageInfo page) {
        if (!page.recordsFound()) {
            throw new BodyFault("the body has no array at JSON pointer '" + records + "'");
        }
        recordsSoFar += page.elements();
        pages++;
        if (stopsHere(page)) {
            return Optional.empty();
        }
        return switch (pagination.style()) {
            case NONE -> Optional.empty();
            case BODY_URL -> link(page, page.value(pagination.pointer()).map(JsonNode::asText));
            case FHIR_LINK -> link(page, Links.fhirNext(page.value(FHIR_LINK)));
            case LINK_HEADER -> link(page, Links.headerNext(page.headers()));
            case CURSOR -> cursor(page);
            case OFFSET -> Optional.of(Urls.replaceParam(first, pagination.param(),
                    Long.toString(pagination.start() + recordsSoFar)));
            case PAGE_NUMBER -> Optional.of(Urls.replaceParam(first, pagination.param(),
                    Long.toString(pagination.start() + pages)));
        };
    }

    private boolean stopsHere(PageInfo page) {
        boolean counted = pagination.style() == Pagination.Style.OFFSET
                || pagination.style() == Pagination.Style.PAGE_NUMBER;
        if (counted && page.elements() == 0) {
            return true;
        }
        if (pagination.shortPageStops() && page.elements() < pagination.size()) {
            return true;
        }
        if (pagination.maxPageCount() > 0 && pages >= pagination.maxPageCount()) {
            return true;
        }
        Optional<JsonNode> flag = pagination.hasMore().flatMap(page::value);
        if (flag.isPresent() && flag.get().isBoolean() && !flag.get().booleanValue()) {
            return true;
        }
        Optional<JsonNode> total = pagination.total().flatMap(page::value);
        return total.isPresent() && total.get().canConvertToLong()
                && recordsSoFar >= total.get().longValue();
    }

    private Optional<URI> link(PageInfo page, Optional<String> link) {
        return link.filter(text -> !text.isBlank())
                .map(text -> Urls.sameOriginLink(page.uri(), text, first));
    }

    private Optional<URI> cursor(PageInfo page) {
        Optional<String> token = page.value(pagination.pointer())
                .filter(JsonNode::isValueNode).map(JsonNode::asText)
                .filter(text -> !text.isEmpty());
        return token.map(text -> Urls.replaceParam(first, pagination.param(), text));
    }

    @Override
    public String toString() {
        return "RestPageTurner[" + pagination + ", page " + pages + "]";
    }
}
