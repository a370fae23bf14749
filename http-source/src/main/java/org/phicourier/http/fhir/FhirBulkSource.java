package org.phicourier.http.fhir;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.http.HttpOptions;
import org.phicourier.http.internal.Digests;
import org.phicourier.http.internal.HttpCall;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.NdjsonReader;
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
 * Reads a FHIR Bulk Data export ({@code $export} at system, patient or group level): one stream
 * per resource type, named after the type ({@code Patient}), holding the resources of every
 * NDJSON output file of that type in manifest order, in the shape of {@link FhirRecords}.
 *
 * <pre>{@code
 * FhirBulkSource source = FhirBulkSource.builder()
 *         .baseUrl(URI.create("https://ehr.example/fhir"))
 *         .http(HttpOptions.builder().auth(smartBackendServices).build())
 *         .group("diabetes-cohort")
 *         .types("Patient", "Encounter", "Condition")
 *         .build();
 * Pipeline.from(source).to(s3Sink).state(FileStateStore.at(Path.of("state/bulk.json")), keyring)
 *         .build().run();
 * }</pre>
 *
 * <p>The export is kicked off with {@code Prefer: respond-async}; the source polls the status
 * URL from {@code Content-Location}, waiting as long as each {@code Retry-After} asks (else
 * backing off from {@link Builder#pollInterval} up to {@link Builder#maxPollInterval}) and logging
 * {@code X-Progress}, until the manifest arrives or {@link Builder#exportTimeout} passes. Each
 * file is downloaded and parsed line by line as its stream is read, never held whole. Files are
 * fetched with the access token only when the manifest requires it, and then only from the FHIR
 * server's origin. {@link #close()} deletes the jobs on the server.
 *
 * <p><b>Incremental.</b> With {@link Builder#types} the streams are those types, known before
 * anything is exported, and incremental (see {@link #replication}): in a pipeline with state the
 * export starts when the first stream opens and asks for {@code _since} the
 * {@code transactionTime} of the previous complete export (the server's clock), and that
 * stream's new bookmark is this export's {@code transactionTime}. An export with nothing new
 * delivers empty streams and a run of zero records that still advances the bookmark. Streams
 * whose bookmarks differ (after a run that failed between two streams) get an export of their
 * own, so none misses a change. The bookmark is saved after every completed object: a read that
 * stops in the middle (a failure, a killed process) continues in the next run in the same
 * export job (its status URL is in the bookmark; output files do not change), after the
 * records already delivered, and the job is deleted only once its streams were read to their
 * end. If the server has dropped that job meanwhile, the stream fails with a clear error rather
 * than deliver anything twice. Without types the export runs in {@link #discover()}, its
 * streams are the types in the manifest, and every run is a full refresh.
 *
 * <p>Error files listed by the manifest fail the export with a summary of their
 * OperationOutcome codes, unless {@link Builder#allowExportErrors} is on. Files of deleted
 * resources are not read (their number is logged). A source serves one pipeline run at a time.
 */
public final class FhirBulkSource implements Source {
    static final String TRANSACTION_TIME = "transactionTime";
    private static final Logger LOG = LoggerFactory.getLogger(FhirBulkSource.class);
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final URI baseUrl;
    private final HttpExecutor http;
    private final String level;
    private final List<String> types;
    private final int batchSize;
    private final BulkJobs jobs;

    private FhirBulkSource(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.http = HttpExecutor.create(builder.http);
        this.level = builder.level;
        this.types = List.copyOf(builder.types);
        this.batchSize = builder.batchSize;
        this.jobs = new BulkJobs(http, baseUrl, builder.allowExportErrors, since -> kickOffUrl(
                builder.baseUrl, builder.level, types, since), new BulkJobs.Polling(
                builder.exportTimeout, builder.pollInterval, builder.maxPollInterval,
                builder.clock));
    }

    /**
     * Starts building a bulk export source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static URI kickOffUrl(URI baseUrl, String level, List<String> types,
            String since) {
        String path = level.equals("system") ? "$export" : level.equals("patient")
                ? "Patient/$export" : "Group/" + level.substring("group:".length()) + "/$export";
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("_outputFormat", "application/fhir+ndjson"));
        if (!types.isEmpty()) {
            params.add(Map.entry("_type", String.join(",", types)));
        }
        if (!since.isEmpty()) {
            params.add(Map.entry("_since", since));
            LOG.info("bulk export of changes since {}", since);
        }
        return Urls.withQuery(Urls.child(baseUrl, path), params);
    }

    /**
     * Lists one stream per resource type: the types given to the builder, or, without them, the
     * types in the manifest of an export run now (the first time only).
     *
     * @return the streams
     * @throws SourceException when an export run here fails, reports errors, or times out
     */
    @Override
    public synchronized List<StreamDescriptor> discover() {
        List<String> streams = types.isEmpty() ? exportTypes() : types;
        return streams.stream().map(t -> StreamDescriptor.of(t, FhirRecords.schema(t))).toList();
    }

    private List<String> exportTypes() {
        return jobs.export("").manifest().outputs().stream().map(BulkManifest.OutputFile::type)
                .distinct().toList();
    }

    /**
     * Returns a stream's replication: incremental by the export's transaction time, and
     * resumable after every batch within the same export job, when the types were given; a full
     * refresh otherwise. The method names a hash of the base URL,
     * level and types, so changing them starts the streams over.
     *
     * @param descriptor the stream
     * @return the replication
     */
    @Override
    public Replication replication(StreamDescriptor descriptor) {
        if (types.isEmpty()) {
            return Replication.fullRefresh();
        }
        return Replication.of(ReplicationMode.INCREMENTAL, true, "fhir-bulk(_since):"
                + Digests.shortSha256(Urls.redact(baseUrl) + "|" + level + "|"
                        + String.join(",", types)));
    }

    @Override
    public StreamReader open(StreamDescriptor descriptor) {
        return open(descriptor, Optional.empty());
    }

    /**
     * Reads a type's output files, from the export of changes since the bookmark's transaction
     * time, started here when none for that time has run yet; or, from a bookmark taken in the
     * middle of a read, continues in the same export job after the records delivered.
     *
     * @param descriptor the stream
     * @param from the bookmark to continue from, if any
     * @return a reader; its bookmark after each batch names the job, file and record, at the end
     *     the export's transaction time
     * @throws ConfigurationException when the bookmark is not one of a bulk export of this
     *     server
     * @throws SourceException when the export fails, reports errors, times out, or the job of
     *     an interrupted read is gone
     */
    @Override
    public synchronized StreamReader open(StreamDescriptor descriptor, Optional<Bookmark> from) {
        String type = descriptor.name();
        if (!(types.isEmpty() ? exportTypes() : types).contains(type)) {
            throw new IllegalStateException("stream '" + type + "' was not discovered by this"
                    + " source");
        }
        Optional<String> status = from.flatMap(b -> b.attribute(BulkTypeReader.STATUS));
        BulkJobs.Export export = status.isPresent() ? jobs.resumed(type, status.get())
                : jobs.export(from.map(b -> since(type, b)).orElse(""));
        int file = status.isPresent() ? (int) number(type, from.get(), BulkTypeReader.FILE) : 0;
        long records = status.isPresent() ? number(type, from.get(), BulkTypeReader.RECORDS) : 0;
        return reader(type, export, file, records);
    }

    private BulkTypeReader reader(String type, BulkJobs.Export export, int file, long records) {
        BulkManifest manifest = export.manifest();
        List<BulkManifest.OutputFile> files = manifest.outputs().stream()
                .filter(f -> f.type().equals(type)).toList();
        LOG.debug("stream '{}': {} output files, starting in file {} after {} records", type,
                files.size(), file, records);
        Bookmark end = Bookmark.of(Map.of(TRANSACTION_TIME,
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(manifest.transactionTime())));
        BulkTypeReader reader = new BulkTypeReader(files.size(), (place, skip) -> file(type,
                files.get(place), manifest.requiresAccessToken(), skip),
                export.job().statusUrl().orElseThrow().toString(), end, file, records);
        jobs.opened(export.job(), reader);
        return reader;
    }

    private StreamReader file(String type, BulkManifest.OutputFile file, boolean token,
            long skip) {
        FhirResources resources = new FhirResources(type, type);
        HttpCall call = HttpCall.get(file.url()).header("Accept", "application/fhir+ndjson")
                .authenticate(token);
        return new NdjsonReader(type, resources.schema(), http, call, resources.lines(),
                batchSize, skip);
    }

    private static String since(String type, Bookmark bookmark) {
        Optional<String> time = bookmark.attribute(TRANSACTION_TIME);
        if (time.flatMap(ServerTimes::parse).isEmpty()) {
            throw new ConfigurationException("stream '" + type + "': the saved bookmark holds"
                    + " no transaction time; it was not made by a bulk export");
        }
        return time.get();
    }

    private static long number(String type, Bookmark bookmark, String name) {
        try {
            long value = Long.parseLong(bookmark.attribute(name).orElseThrow());
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (RuntimeException e) {
            // Reported below, without the value.
        }
        throw new ConfigurationException("stream '" + type + "': the saved bookmark has no"
                + " valid '" + name + "'; it was not made by a bulk export");
    }

    /**
     * Returns the transaction time of the first export this source ran, once it completed.
     *
     * @return the server's time the export covers changes up to
     */
    public synchronized Optional<OffsetDateTime> transactionTime() {
        return jobs.first().map(e -> e.manifest().transactionTime());
    }

    /**
     * Deletes the export jobs on the server that this source started or took up, except those
     * with a stream that was not read to its end: the next run continues that stream in the
     * same job, and deletes it once done.
     */
    @Override
    public synchronized void close() {
        jobs.deleteFinished();
    }

    @Override
    public String toString() {
        return "FhirBulkSource[" + Urls.redact(baseUrl) + ", " + level.split(":", 2)[0]
                + ", types=" + types + "]";
    }

    /** Builds a {@link FhirBulkSource}; mutable and not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private HttpOptions http = HttpOptions.defaults();
        private String level;
        private final List<String> types = new ArrayList<>();
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
         * Limits the export to resource types ({@code _type}), which become the streams and
         * make them incremental; all types, as a full refresh, by default.
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
         * Sets the clock for the export deadline; the system clock by default. Bookmarks are
         * always the server's transaction time.
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
