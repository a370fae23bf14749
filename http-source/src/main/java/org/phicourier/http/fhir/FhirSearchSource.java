package org.phicourier.http.fhir;

import com.fasterxml.jackson.core.JsonPointer;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
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
import org.phicourier.http.internal.EndBookmarkReader;
import org.phicourier.http.internal.HttpCall;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.PagedReader;
import org.phicourier.http.internal.Urls;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.Replication;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.Source;
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
 *         .build();
 * Pipeline.from(source).to(s3Sink).state(FileStateStore.at(Path.of("state/fhir.json")), keyring)
 *         .build().run();
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
 * <p>Every stream is incremental (see {@link #replication}). In a pipeline with state each type
 * asks only for resources with {@code _lastUpdated} at or after its bookmark, and the new
 * bookmark is the server's time of the search (its first page's {@code Bundle.meta.lastUpdated},
 * else its {@code Date} header), never the client's clock. The pipeline saves it once the
 * objects holding the whole search are complete; a run that fails before reads the search again
 * into the same object names, so nothing is delivered twice. A resource changed exactly at the
 * bookmark may be read by two runs; none is skipped. Without state every run reads everything.
 *
 * <p>A source serves one pipeline run at a time.
 */
public final class FhirSearchSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(FhirSearchSource.class);
    static final String SERVER_TIME = "serverTime";
    private static final JsonPointer ENTRIES = JsonPointer.compile("/entry");
    private static final Set<String> MANAGED = Set.of("_count", "_lastUpdated", "_include",
            "_revinclude", "_format");

    private final URI baseUrl;
    private final HttpExecutor http;
    private final Map<String, Search> searches;
    private final int pageSize;
    private final int batchSize;

    /** One resource type with its own search parameters. */
    private record Search(String type, String query) {
        Replication replication(URI base) {
            return Replication.of(ReplicationMode.INCREMENTAL, false, "fhir-search(_lastUpdated):"
                    + Digests.shortSha256(Urls.redact(base) + "|" + type + "|" + query));
        }
    }

    private FhirSearchSource(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.http = HttpExecutor.create(builder.http);
        this.searches = new LinkedHashMap<>(builder.searches);
        this.pageSize = builder.pageSize;
        this.batchSize = builder.batchSize;
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

    /**
     * Returns a type's replication: incremental by the server's time of the search; a read
     * that fails is read again from its start, so it does not resume from its middle. The
     * method names a hash of the base URL, type and query, so changing them starts the stream
     * over.
     *
     * @param descriptor the stream
     * @return the replication
     */
    @Override
    public Replication replication(StreamDescriptor descriptor) {
        return search(descriptor).replication(baseUrl);
    }

    @Override
    public StreamReader open(StreamDescriptor descriptor) {
        return open(descriptor, Optional.empty());
    }

    /**
     * Starts a type's search, for the resources changed since the bookmark when one is given.
     *
     * @param descriptor the stream
     * @param from the bookmark of the last complete search, if any
     * @return a reader; its bookmark at the end is the server's time of this search
     * @throws ConfigurationException when the bookmark holds no valid server time
     */
    @Override
    public StreamReader open(StreamDescriptor descriptor, Optional<Bookmark> from) {
        Search search = search(descriptor);
        Optional<String> since = from.map(b -> since(search, b));
        URI first = firstPage(search, since);
        SearchPages pages = new SearchPages(search.type(), baseUrl);
        FhirResources resources = new FhirResources(search.type(), search.type());
        PagedReader reader = new PagedReader(search.type(), resources.schema(), http,
                HttpCall.get(first).header("Accept", "application/fhir+json"), ENTRIES, pages,
                resources.entries(), batchSize);
        return new EndBookmarkReader(reader, () -> ended(search, pages, from));
    }

    private Search search(StreamDescriptor descriptor) {
        return Optional.ofNullable(searches.get(descriptor.name()))
                .orElseThrow(() -> new IllegalStateException("stream '" + descriptor.name()
                        + "' does not belong to this source"));
    }

    private static String since(Search search, Bookmark bookmark) {
        Optional<String> time = bookmark.attribute(SERVER_TIME);
        if (bookmark.attributes().isEmpty()) {
            return "";
        }
        if (time.flatMap(ServerTimes::parse).isEmpty()) {
            throw new ConfigurationException("stream '" + search.type() + "': the saved"
                    + " bookmark holds no server time; it was not made by a FHIR search");
        }
        return time.get();
    }

    private URI firstPage(Search search, Optional<String> since) {
        String query = search.query();
        if (since.filter(s -> !s.isEmpty()).isPresent()) {
            query = join(query, "_lastUpdated=" + Urls.encode("ge" + since.get()));
            LOG.info("stream '{}': reading changes since {}", search.type(), since.get());
        }
        query = join(query, "_count=" + pageSize);
        return URI.create(Urls.child(baseUrl, search.type()) + "?" + query);
    }

    private static String join(String query, String param) {
        return query.isEmpty() ? param : query + "&" + param;
    }

    /** The server's time of the search; the old bookmark when the server gave none. */
    private static Bookmark ended(Search search, SearchPages pages, Optional<Bookmark> from) {
        Optional<OffsetDateTime> time = pages.serverTime();
        time.ifPresent(t -> LOG.debug("stream '{}': read to its end at server time {}",
                search.type(), t));
        return time.map(t -> Bookmark.of(Map.of(SERVER_TIME,
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t))))
                .orElse(from.orElse(Bookmark.of(Map.of())));
    }

    @Override
    public String toString() {
        return "FhirSearchSource[" + Urls.redact(baseUrl) + ", types=" + searches.keySet() + "]";
    }

    /** Builds a {@link FhirSearchSource}; mutable and not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private HttpOptions http = HttpOptions.defaults();
        private final Map<String, Search> searches = new LinkedHashMap<>();
        private int pageSize = 100;
        private int batchSize = 500;

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
