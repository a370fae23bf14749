package org.phicourier.http.fhir;

import com.fasterxml.jackson.core.JsonPointer;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.phicourier.ConfigurationException;
import org.phicourier.http.HttpOptions;
import org.phicourier.http.internal.Digests;
import org.phicourier.http.internal.EndAwareReader;
import org.phicourier.http.internal.HttpCall;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.PagedReader;
import org.phicourier.http.internal.Urls;
import org.phicourier.http.state.Bookmark;
import org.phicourier.http.state.BookmarkStore;
import org.phicourier.http.state.CommittableSource;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads FHIR R4 resources with the search API, one stream per resource type, following the
 * Bundle's {@code next} links page by page (on the server's origin only).
 *
 * <pre>{@code
 * FhirSearchSource source = FhirSearchSource.builder()
 *         .baseUrl(URI.create("https://ehr.example/fhir"))
 *         .http(HttpOptions.builder().auth(smartBackendServices).build())
 *         .search("Patient")
 *         .search("Observation", "category=laboratory")
 *         .bookmarks(FileBookmarkStore.at(Path.of("state/fhir.json")))
 *         .build();
 * }</pre>
 *
 * <p>Each resource becomes one row in the shape of {@link FhirRecords}. Entries of search mode
 * {@code outcome} are surfaced: an error fails the stream with the OperationOutcome's codes, a
 * warning is logged by its codes; the free text of an OperationOutcome is never shown because
 * servers echo search values in it. Pages are parsed as they arrive; a malformed, truncated or
 * mislabelled page, a body that is not a searchset Bundle, or an entry without its resource fails
 * the stream naming the page, record position and URL without query string, after the records
 * before the fault have been delivered.
 *
 * <p>With {@link Builder#bookmarks} the search is incremental: each type asks only for resources
 * with {@code _lastUpdated} at or after its bookmark, and the new bookmark is the server's time of
 * the search (its first page's {@code Bundle.meta.lastUpdated}, else its {@code Date} header),
 * never the client's clock. Bookmarks are saved by {@link #commitProgress()} only. A resource
 * changed exactly at the bookmark may be read twice; none is skipped.
 *
 * <p>A source serves one pipeline run at a time.
 */
public final class FhirSearchSource implements CommittableSource {
    private static final Logger LOG = LoggerFactory.getLogger(FhirSearchSource.class);
    private static final JsonPointer ENTRIES = JsonPointer.compile("/entry");
    private static final Set<String> MANAGED = Set.of("_count", "_lastUpdated", "_include",
            "_revinclude", "_format");

    private final URI baseUrl;
    private final HttpExecutor http;
    private final Map<String, Search> searches;
    private final int pageSize;
    private final int batchSize;
    private final Optional<BookmarkStore> bookmarks;
    private final Clock clock;
    private final Map<String, OffsetDateTime> completed = new LinkedHashMap<>();

    /** One resource type with its own search parameters. */
    private record Search(String type, String query) {
        String bookmarkName(URI base) {
            return "fhir-search:" + type + ":" + Digests.shortSha256(Urls.redact(base) + "|"
                    + type + "|" + query);
        }
    }

    private FhirSearchSource(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.http = HttpExecutor.create(builder.http);
        this.searches = new LinkedHashMap<>(builder.searches);
        this.pageSize = builder.pageSize;
        this.batchSize = builder.batchSize;
        this.bookmarks = Optional.ofNullable(builder.bookmarks);
        this.clock = builder.clock;
    }

    /**
     * Starts building a FHIR search source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<StreamDescriptor> discover() {
        List<StreamDescriptor> descriptors = new ArrayList<>();
        searches.keySet().forEach(t -> descriptors.add(StreamDescriptor.of(t,
                FhirRecords.schema(t))));
        return descriptors;
    }

    @Override
    public synchronized StreamReader open(StreamDescriptor descriptor) {
        Search search = Optional.ofNullable(searches.get(descriptor.name()))
                .orElseThrow(() -> new IllegalStateException("stream '" + descriptor.name()
                        + "' does not belong to this source"));
        completed.remove(search.type());
        URI first = firstPage(search);
        SearchPages pages = new SearchPages(search.type(), baseUrl);
        FhirResources resources = new FhirResources(search.type(), search.type());
        PagedReader reader = new PagedReader(search.type(), resources.schema(), http,
                HttpCall.get(first).header("Accept", "application/fhir+json"), ENTRIES, pages,
                resources.entries(), batchSize);
        return new EndAwareReader(reader, () -> ended(search, pages));
    }

    private URI firstPage(Search search) {
        String query = search.query();
        Optional<Bookmark> since = bookmarks.flatMap(b -> b.load(search.bookmarkName(baseUrl)));
        if (since.isPresent()) {
            query = join(query, "_lastUpdated=" + Urls.encode("ge" + since.get()
                    .serverTimeText()));
            LOG.info("stream '{}': reading changes since {}", search.type(),
                    since.get().serverTimeText());
        }
        query = join(query, "_count=" + pageSize);
        return URI.create(Urls.child(baseUrl, search.type()) + "?" + query);
    }

    private static String join(String query, String param) {
        return query.isEmpty() ? param : query + "&" + param;
    }

    private synchronized void ended(Search search, SearchPages pages) {
        pages.serverTime().ifPresent(time -> completed.put(search.type(), time));
    }

    /**
     * Saves the bookmark of every type read to its end since the last commit: the server's time
     * of its search. Types not read to their end keep their bookmark. Does nothing without a
     * bookmark store.
     *
     * @throws ConfigurationException when the store cannot be written
     */
    @Override
    public synchronized void commitProgress() {
        if (bookmarks.isEmpty()) {
            return;
        }
        completed.forEach((type, time) -> {
            bookmarks.get().save(searches.get(type).bookmarkName(baseUrl),
                    Bookmark.of(time, clock.instant()));
            LOG.info("stream '{}': bookmark saved at server time {}", type, time);
        });
        completed.clear();
    }

    @Override
    public String toString() {
        return "FhirSearchSource[" + Urls.redact(baseUrl) + ", types=" + searches.keySet()
                + ", incremental=" + bookmarks.isPresent() + "]";
    }

    /** Builds a {@link FhirSearchSource}; mutable and not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private HttpOptions http = HttpOptions.defaults();
        private final Map<String, Search> searches = new LinkedHashMap<>();
        private int pageSize = 100;
        private int batchSize = 500;
        private BookmarkStore bookmarks;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the FHIR server's base URL. Required.
         *
         * @param url for example {@code https://ehr.example/fhir}
         * @return this builder
         */
        public Builder baseUrl(URI url) {
            this.baseUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Sets authentication, retries, rate limit and timeouts; {@link HttpOptions#defaults()}
         * by default.
         *
         * @param options the options
         * @return this builder
         */
        public Builder http(HttpOptions options) {
            this.http = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Reads every resource of a type.
         *
         * @param resourceType for example {@code Patient}; also the stream name
         * @return this builder
         */
        public Builder search(String resourceType) {
            return search(resourceType, "");
        }

        /**
         * Reads the resources of a type that match search parameters.
         *
         * @param resourceType for example {@code Observation}; also the stream name
         * @param query encoded search parameters, for example {@code category=laboratory};
         *     {@code _count}, {@code _lastUpdated}, {@code _include} and {@code _revinclude}
         *     are managed by the source and refused here
         * @return this builder
         * @throws ConfigurationException when the type is not a resource type name, is added
         *     twice, or the query sets a managed parameter
         */
        public Builder search(String resourceType, String query) {
            FhirRecords.checkType(resourceType);
            Objects.requireNonNull(query, "query");
            try {
                URI.create("https://check.invalid/?" + query);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("FHIR search of " + resourceType + ": the query"
                        + " is not a valid, encoded query string");
            }
            for (String pair : query.split("&")) {
                String name = pair.split("=", 2)[0].split(":", 2)[0];
                if (MANAGED.contains(name)) {
                    throw new ConfigurationException("FHIR search of " + resourceType + ": "
                            + name + " is managed by the source; remove it from the query");
                }
            }
            if (searches.putIfAbsent(resourceType, new Search(resourceType, query)) != null) {
                throw new ConfigurationException("FHIR search of " + resourceType
                        + " is added twice");
            }
            return this;
        }

        /**
         * Sets how many resources each page asks for ({@code _count}); 100 by default. The
         * server may return fewer.
         *
         * @param resources at least 1
         * @return this builder
         */
        public Builder pageSize(int resources) {
            this.pageSize = resources;
            return this;
        }

        /**
         * Sets how many rows a batch holds at most; 500 by default.
         *
         * @param rows at least 1
         * @return this builder
         */
        public Builder batchSize(int rows) {
            this.batchSize = rows;
            return this;
        }

        /**
         * Makes the source incremental, keeping one bookmark per resource type in a store.
         *
         * @param store the store
         * @return this builder
         */
        public Builder bookmarks(BookmarkStore store) {
            this.bookmarks = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets the clock that stamps when bookmarks are saved (for people; the bookmark itself
         * is server time); the system clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the source.
         *
         * @return the source
         * @throws ConfigurationException when the base URL or every search is missing, a size is
         *     below 1, or the URL is plain HTTP without permission
         */
        public FhirSearchSource build() {
            if (baseUrl == null || searches.isEmpty()) {
                throw new ConfigurationException("FHIR search source: set baseUrl and add at"
                        + " least one search");
            }
            if (pageSize < 1 || batchSize < 1) {
                throw new ConfigurationException("FHIR search source: pageSize and batchSize"
                        + " must be at least 1");
            }
            Urls.checkTransport(baseUrl, http.allowPlainHttp(), "FHIR base URL");
            return new FhirSearchSource(this);
        }
    }
}
