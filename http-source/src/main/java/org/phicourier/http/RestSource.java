package org.phicourier.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.http.internal.BodyFault;
import org.phicourier.http.internal.ElementReader;
import org.phicourier.http.internal.HttpCall;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.JsonValues;
import org.phicourier.http.internal.PagedReader;
import org.phicourier.http.internal.Urls;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/**
 * Reads records from paged REST APIs that answer JSON, each endpoint as one stream.
 *
 * <pre>{@code
 * RestSource source = RestSource.builder()
 *         .baseUrl(URI.create("https://api.example/"))
 *         .http(HttpOptions.builder().auth(Auth.bearer(Secret.fromEnvironment("API_TOKEN")))
 *                 .requestsPerSecond(5).build())
 *         .stream(RestStream.builder("patients").path("/v1/patients").recordsAt("/data")
 *                 .pagination(Pagination.cursor("/next_cursor", "cursor")).build())
 *         .build();
 * }</pre>
 *
 * <p>Responses are parsed as they arrive with Jackson's streaming parser: one page is open at a
 * time and one record is held at a time, however large the page. A response must be labelled as
 * JSON; an HTML error page, malformed or truncated JSON, or a body without the records array fails
 * the stream with a message naming the stream, the record position, the page and the URL without
 * its query string, never the body. Rows read before such a fault are delivered first.
 *
 * <p>Discovery makes no request: the schemas are declared (see {@link RestStream}). All streams
 * share the source's retry budget and rate limit. A source serves one pipeline run at a time.
 */
public final class RestSource implements Source {
    private final URI baseUrl;
    private final HttpExecutor http;
    private final Map<String, RestStream> streams;
    private final int batchSize;

    private RestSource(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.http = HttpExecutor.create(builder.http);
        this.streams = new LinkedHashMap<>(builder.streams);
        this.batchSize = builder.batchSize;
    }

    /**
     * Starts building a REST source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<StreamDescriptor> discover() {
        List<StreamDescriptor> descriptors = new ArrayList<>();
        streams.values().forEach(s -> descriptors.add(StreamDescriptor.of(s.name(), s.schema())));
        return descriptors;
    }

    @Override
    public StreamReader open(StreamDescriptor descriptor) {
        RestStream stream = Optional.ofNullable(streams.get(descriptor.name()))
                .orElseThrow(() -> new IllegalStateException("stream '" + descriptor.name()
                        + "' does not belong to this source"));
        URI first = Urls.withQuery(Urls.child(baseUrl, stream.path()), firstQuery(stream));
        HttpCall call = HttpCall.get(first).header("Accept", "application/json");
        return new PagedReader(stream.name(), stream.schema(), http, call, stream.records(),
                new RestPageTurner(stream.pagination(), first, stream.records()),
                elements(stream), batchSize);
    }

    private static List<Map.Entry<String, String>> firstQuery(RestStream stream) {
        List<Map.Entry<String, String>> query = new ArrayList<>(stream.query());
        Pagination pagination = stream.pagination();
        if (pagination.style() == Pagination.Style.OFFSET
                || pagination.style() == Pagination.Style.PAGE_NUMBER) {
            query.add(Map.entry(pagination.param(), Long.toString(pagination.start())));
            pagination.sizeParam().ifPresent(size -> query.add(
                    Map.entry(size, Integer.toString(pagination.size()))));
        }
        return query;
    }

    private static ElementReader elements(RestStream stream) {
        Schema schema = stream.schema();
        if (stream.flat()) {
            return element -> Optional.of(JsonValues.row(schema, element));
        }
        return element -> {
            if (!element.isObject()) {
                throw new BodyFault("the record is a JSON " + JsonValues.kind(element)
                        + ", not an object");
            }
            return Optional.of(Row.of(schema, element));
        };
    }

    @Override
    public String toString() {
        return "RestSource[" + Urls.redact(baseUrl) + ", streams=" + streams.keySet() + "]";
    }

    /** Builds a {@link RestSource}; mutable and not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private HttpOptions http = HttpOptions.defaults();
        private final Map<String, RestStream> streams = new LinkedHashMap<>();
        private int batchSize = 500;

        private Builder() {
        }

        /**
         * Sets the base URL that stream paths are relative to. Required.
         *
         * @param url an https URL (http only with {@link HttpOptions.Builder#allowPlainHttp})
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
         * Adds a stream; streams are read in the order added.
         *
         * @param stream the stream
         * @return this builder
         * @throws ConfigurationException when a stream of that name was added before
         */
        public Builder stream(RestStream stream) {
            Objects.requireNonNull(stream, "stream");
            if (streams.putIfAbsent(stream.name(), stream) != null) {
                throw new ConfigurationException("stream '" + stream.name() + "' is added twice");
            }
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
         * @throws ConfigurationException when the base URL or every stream is missing, the URL
         *     is plain HTTP without permission, or the batch size is below 1
         */
        public RestSource build() {
            if (baseUrl == null || streams.isEmpty()) {
                throw new ConfigurationException("REST source: set baseUrl and add at least one"
                        + " stream");
            }
            if (batchSize < 1) {
                throw new ConfigurationException("REST source: batchSize must be at least 1");
            }
            Urls.checkTransport(baseUrl, http.allowPlainHttp(), "REST source base URL");
            return new RestSource(this);
        }
    }
}
