package org.phicourier.http.fhir;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.http.HttpOptions;
import org.phicourier.http.internal.Digests;
import org.phicourier.http.internal.EndAwareReader;
import org.phicourier.http.internal.HttpCall;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.NdjsonReader;
import org.phicourier.http.internal.Urls;
import org.phicourier.http.state.Bookmark;
import org.phicourier.http.state.BookmarkStore;
import org.phicourier.http.state.CommittableSource;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a FHIR Bulk Data export ({@code $export} at system, patient or group level): each NDJSON
 * output file becomes its own stream of resources in the shape of {@link FhirRecords}.
 *
 * <pre>{@code
 * FhirBulkSource source = FhirBulkSource.builder()
 *         .baseUrl(URI.create("https://ehr.example/fhir"))
 *         .http(HttpOptions.builder().auth(smartBackendServices).build())
 *         .group("diabetes-cohort")
 *         .types("Patient", "Encounter", "Condition")
 *         .bookmarks(FileBookmarkStore.at(Path.of("state/fhir.json")))
 *         .build();
 * }</pre>
 *
 * <p>{@link #discover()} kicks the export off with {@code Prefer: respond-async} and polls the
 * status URL from {@code Content-Location}, waiting as long as each {@code Retry-After} asks (else
 * backing off from {@link Builder#pollInterval} up to {@link Builder#maxPollInterval}) and logging
 * {@code X-Progress}, until the manifest arrives or {@link Builder#exportTimeout} passes. Streams
 * are named after the resource type of their file ({@code Patient}); a type with several files
 * gets {@code Patient}, {@code Patient.2}, {@code Patient.3}, and so on, in manifest order. Each
 * file is downloaded and parsed line by line as its stream is read, never held whole. Files are
 * fetched with the access token only when the manifest requires it, and then only from the FHIR
 * server's origin. {@link #close()} deletes the job on the server.
 *
 * <p>Error files listed by the manifest are read before any stream and fail the export with a
 * summary of their OperationOutcome codes, unless {@link Builder#allowExportErrors} is on.
 * Files of deleted resources are not read (their number is logged).
 *
 * <p>With {@link Builder#bookmarks} the export is incremental: it asks for {@code _since} the
 * {@code transactionTime} of the previous export (the server's clock), and
 * {@link #commitProgress()} saves the new transaction time once every stream was read to its end.
 * An export without output files delivers no streams, which a pipeline refuses; check
 * {@link #discover()} first and call {@link #commitProgress()} directly in that case.
 *
 * <p>One source runs one export: discovering again returns the same files. A source serves one
 * pipeline run at a time.
 */
public final class FhirBulkSource implements CommittableSource {
    private static final Logger LOG = LoggerFactory.getLogger(FhirBulkSource.class);
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final URI baseUrl;
    private final HttpExecutor http;
    private final String level;
    private final List<String> types;
    private final Optional<BookmarkStore> bookmarks;
    private final boolean allowExportErrors;
    private final int batchSize;
    private final Clock clock;
    private final BulkExport export;
    private final Map<String, BulkManifest.OutputFile> outputs = new LinkedHashMap<>();
    private final Set<String> completed = new HashSet<>();
    private Optional<BulkManifest> manifest = Optional.empty();

    private FhirBulkSource(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.http = HttpExecutor.create(builder.http);
        this.level = builder.level;
        this.types = List.copyOf(builder.types);
        this.bookmarks = Optional.ofNullable(builder.bookmarks);
        this.allowExportErrors = builder.allowExportErrors;
        this.batchSize = builder.batchSize;
        this.clock = builder.clock;
        this.export = new BulkExport(http, baseUrl, kickOffUrl(), builder.exportTimeout,
                builder.pollInterval, builder.maxPollInterval, clock);
    }

    /**
     * Starts building a bulk export source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private URI kickOffUrl() {
        String path = level.equals("system") ? "$export" : level.equals("patient")
                ? "Patient/$export" : "Group/" + level.substring("group:".length()) + "/$export";
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("_outputFormat", "application/fhir+ndjson"));
        if (!types.isEmpty()) {
            params.add(Map.entry("_type", String.join(",", types)));
        }
        bookmarks.flatMap(store -> store.load(bookmarkName())).ifPresent(since -> {
            params.add(Map.entry("_since", since.serverTimeText()));
            LOG.info("bulk export of changes since {}", since.serverTimeText());
        });
        return Urls.withQuery(Urls.child(baseUrl, path), params);
    }

    private String bookmarkName() {
        return "fhir-bulk:" + level.split(":", 2)[0] + ":" + Digests.shortSha256(
                Urls.redact(baseUrl) + "|" + level + "|" + String.join(",", types));
    }

    /**
     * Runs the export (the first time only) and lists one stream per output file.
     *
     * @return the streams, in manifest order; empty when the export has no output
     * @throws SourceException when the export fails, reports errors, or times out
     */
    @Override
    public synchronized List<StreamDescriptor> discover() {
        if (manifest.isEmpty()) {
            BulkManifest done = export.run();
            checkErrors(done);
            name(done);
            manifest = Optional.of(done);
        }
        List<StreamDescriptor> descriptors = new ArrayList<>();
        outputs.forEach((stream, file) -> descriptors.add(StreamDescriptor.of(stream,
                FhirRecords.schema(file.type()))));
        return descriptors;
    }

    private void checkErrors(BulkManifest done) {
        Map<String, Long> errors = export.errors(done, done.requiresAccessToken());
        if (done.deleted() > 0) {
            LOG.warn("the export lists {} files of deleted resources; they are not read",
                    done.deleted());
        }
        if (errors.isEmpty()) {
            return;
        }
        String summary = "the export reports " + errors.values().stream().mapToLong(n -> n)
                .sum() + " errors in " + done.errors().size() + " files: " + errors;
        if (!allowExportErrors) {
            throw new SourceException(summary + "; allowExportErrors(true) reads the outputs"
                    + " anyway");
        }
        LOG.warn("{}", summary);
    }

    private void name(BulkManifest done) {
        Map<String, Integer> seen = new HashMap<>();
        for (BulkManifest.OutputFile file : done.outputs()) {
            int n = seen.merge(file.type(), 1, Integer::sum);
            outputs.put(n == 1 ? file.type() : file.type() + "." + n, file);
            boolean foreign = !Urls.sameOrigin(file.url(), baseUrl);
            if (done.requiresAccessToken() && foreign) {
                throw new SourceException("the export manifest asks for the access token to be"
                        + " sent to " + Urls.redact(file.url()) + ", outside the FHIR server;"
                        + " refused");
            }
        }
    }

    @Override
    public synchronized StreamReader open(StreamDescriptor descriptor) {
        BulkManifest.OutputFile file = Optional.ofNullable(outputs.get(descriptor.name()))
                .orElseThrow(() -> new IllegalStateException("stream '" + descriptor.name()
                        + "' was not discovered by this source"));
        completed.remove(descriptor.name());
        FhirResources resources = new FhirResources(descriptor.name(), file.type());
        HttpCall call = HttpCall.get(file.url()).header("Accept", "application/fhir+ndjson")
                .authenticate(manifest.get().requiresAccessToken());
        NdjsonReader reader = new NdjsonReader(descriptor.name(), resources.schema(), http, call,
                resources.lines(), batchSize);
        return new EndAwareReader(reader, () -> ended(descriptor.name()));
    }

    private synchronized void ended(String stream) {
        completed.add(stream);
    }

    /**
     * Returns the transaction time of the export, once it completed.
     *
     * @return the server's time the export covers changes up to
     */
    public synchronized Optional<OffsetDateTime> transactionTime() {
        return manifest.map(BulkManifest::transactionTime);
    }

    /**
     * Saves the export's transaction time as the bookmark of the next export, when every output
     * stream was read to its end; otherwise keeps the old bookmark and logs why. Does nothing
     * without a bookmark store.
     *
     * @throws ConfigurationException when the store cannot be written
     */
    @Override
    public synchronized void commitProgress() {
        if (bookmarks.isEmpty() || manifest.isEmpty()) {
            return;
        }
        if (!completed.containsAll(outputs.keySet())) {
            LOG.warn("bulk export bookmark not advanced: {} of {} outputs were read to their end",
                    completed.size(), outputs.size());
            return;
        }
        OffsetDateTime time = manifest.get().transactionTime();
        bookmarks.get().save(bookmarkName(), Bookmark.of(time, clock.instant()));
        LOG.info("bulk export bookmark saved at transaction time {}", time);
    }

    /** Deletes the export job on the server, if one was started. */
    @Override
    public synchronized void close() {
        export.delete();
    }

    @Override
    public String toString() {
        return "FhirBulkSource[" + Urls.redact(baseUrl) + ", " + level.split(":", 2)[0]
                + ", types=" + types + ", incremental=" + bookmarks.isPresent() + "]";
    }

    /** Builds a {@link FhirBulkSource}; mutable and not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private HttpOptions http = HttpOptions.defaults();
        private String level;
        private final List<String> types = new ArrayList<>();
        private BookmarkStore bookmarks;
        private boolean allowExportErrors;
        private int batchSize = 500;
        private Duration exportTimeout = Duration.ofHours(1);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration maxPollInterval = Duration.ofSeconds(60);
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
         * Exports every resource on the server ({@code [base]/$export}).
         *
         * @return this builder
         */
        public Builder system() {
            return level("system");
        }

        /**
         * Exports the resources of all patients ({@code [base]/Patient/$export}).
         *
         * @return this builder
         */
        public Builder patient() {
            return level("patient");
        }

        /**
         * Exports the resources of a group's patients ({@code [base]/Group/[id]/$export}).
         *
         * @param groupId the Group resource id
         * @return this builder
         * @throws ConfigurationException when the id is not a FHIR id
         */
        public Builder group(String groupId) {
            if (groupId == null || !FHIR_ID.matcher(groupId).matches()) {
                throw new ConfigurationException("'" + groupId + "' is not a FHIR Group id");
            }
            return level("group:" + groupId);
        }

        private Builder level(String chosen) {
            if (level != null) {
                throw new ConfigurationException("bulk export: choose one of system(),"
                        + " patient() and group(id)");
            }
            this.level = chosen;
            return this;
        }

        /**
         * Limits the export to resource types ({@code _type}); all types by default.
         *
         * @param resourceTypes for example {@code Patient}, {@code Encounter}
         * @return this builder
         * @throws ConfigurationException when a name is not a resource type
         */
        public Builder types(String... resourceTypes) {
            for (String type : resourceTypes) {
                types.add(FhirRecords.checkType(type));
            }
            return this;
        }

        /**
         * Makes the export incremental ({@code _since} the previous transaction time).
         *
         * @param store the store
         * @return this builder
         */
        public Builder bookmarks(BookmarkStore store) {
            this.bookmarks = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Reads the outputs even when the manifest lists error files; off by default, so that
         * a partial export is not taken for a complete one.
         *
         * @param allow true to read the outputs anyway
         * @return this builder
         */
        public Builder allowExportErrors(boolean allow) {
            this.allowExportErrors = allow;
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
         * Sets how long to wait for the export to complete; 1 hour by default.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder exportTimeout(Duration timeout) {
            this.exportTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the first wait between status polls when the server sends no
         * {@code Retry-After}, and the shortest wait in any case; 1 s by default.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Sets the longest wait between status polls without {@code Retry-After}; 60 s by
         * default.
         *
         * @param interval at least the poll interval
         * @return this builder
         */
        public Builder maxPollInterval(Duration interval) {
            this.maxPollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Sets the clock for the export deadline and for when bookmarks are saved; the system
         * clock by default. The bookmark itself is always the server's transaction time.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the source; nothing is requested before {@link FhirBulkSource#discover()}.
         *
         * @return the source
         * @throws ConfigurationException when the base URL or level is missing, a duration or
         *     size is out of range, or the URL is plain HTTP without permission
         */
        public FhirBulkSource build() {
            if (baseUrl == null || level == null) {
                throw new ConfigurationException("bulk export: set baseUrl and one of system(),"
                        + " patient() and group(id)");
            }
            if (batchSize < 1 || exportTimeout.isNegative() || exportTimeout.isZero()
                    || pollInterval.isNegative() || pollInterval.isZero()
                    || maxPollInterval.compareTo(pollInterval) < 0) {
                throw new ConfigurationException("bulk export: batchSize must be at least 1,"
                        + " exportTimeout and pollInterval positive, maxPollInterval at least"
                        + " pollInterval");
            }
            Urls.checkTransport(baseUrl, http.allowPlainHttp(), "FHIR base URL");
            return new FhirBulkSource(this);
        }
    }
}
