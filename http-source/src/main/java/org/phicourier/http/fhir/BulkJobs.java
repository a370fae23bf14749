package org.phicourier.http.fhir;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export jobs of one {@link FhirBulkSource}: started once per {@code _since}, or taken up by
 * the status URL an interrupted read saved, and deleted at the end unless a stream read from
 * them stopped in the middle. Not thread-safe; the source serialises calls.
 */
final class BulkJobs {
    private static final Logger LOG = LoggerFactory.getLogger(BulkJobs.class);

    private final HttpExecutor http;
    private final URI baseUrl;
    private final boolean allowExportErrors;
    private final Function<String, URI> kickOff;
    private final Polling polling;
    /**
     * Completed exports, in start order, by {@code since:} the {@code _since} they asked for
     * ("" for none) and by {@code status:} their status URL.
     */
    private final Map<String, Export> exports = new LinkedHashMap<>();
    /** Every job started or taken up, to delete at the end, including those that failed. */
    private final List<BulkExport> jobs = new ArrayList<>();
    /** The readers opened on each job, to tell whether its streams were read to their end. */
    private final Map<BulkExport, List<BulkTypeReader>> readers = new HashMap<>();

    /**
     * How to wait for a job.
     *
     * @param timeout the longest wait for a manifest
     * @param minPoll the shortest wait between polls
     * @param maxPoll the longest wait between polls without {@code Retry-After}
     * @param clock the clock of the deadline
     */
    record Polling(Duration timeout, Duration minPoll, Duration maxPoll, Clock clock) {
    }

    /**
     * One completed export job and its manifest.
     *
     * @param job the job
     * @param manifest its manifest
     */
    record Export(BulkExport job, BulkManifest manifest) {
    }

    BulkJobs(HttpExecutor http, URI baseUrl, boolean allowExportErrors,
            Function<String, URI> kickOff, Polling polling) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.allowExportErrors = allowExportErrors;
        this.kickOff = kickOff;
        this.polling = polling;
    }

    /**
     * Returns the export of changes since a time, started now when none ran yet.
     *
     * @param since the {@code _since} value; "" for everything
     * @return the completed export
     */
    Export export(String since) {
        Export done = exports.get("since:" + since);
        if (done != null) {
            return done;
        }
        BulkExport job = newJob(kickOff.apply(since));
        jobs.add(job);
        BulkManifest manifest = job.run();
        checkErrors(job, manifest);
        checkOrigins(manifest);
        Export export = new Export(job, manifest);
        exports.put("since:" + since, export);
        exports.put("status:" + job.statusUrl().orElseThrow(), export);
        return export;
    }

    /**
     * Takes up the job of an interrupted read, once per job.
     *
     * @param type the stream, for messages
     * @param status the status URL from the bookmark
     * @return the completed export
     */
    Export resumed(String type, String status) {
        Export known = exports.get("status:" + status);
        if (known != null) {
            return known;
        }
        URI statusUrl = parse(type, status);
        BulkExport job = newJob(statusUrl);
        jobs.add(job);
        BulkManifest manifest = job.resume(statusUrl);
        checkOrigins(manifest);
        Export export = new Export(job, manifest);
        exports.put("status:" + status, export);
        return export;
    }

    private URI parse(String type, String status) {
        try {
            URI statusUrl = URI.create(status);
            if (Urls.sameOrigin(statusUrl, baseUrl)) {
                return statusUrl;
            }
        } catch (IllegalArgumentException e) {
            // Reported below, without the text.
        }
        throw new ConfigurationException("stream '" + type + "': the saved bookmark names an"
                + " export job that is not on the FHIR server's origin");
    }

    private BulkExport newJob(URI url) {
        return new BulkExport(http, baseUrl, url, polling.timeout(), polling.minPoll(),
                polling.maxPoll(), polling.clock());
    }

    private void checkErrors(BulkExport job, BulkManifest done) {
        Map<String, Long> errors = job.errors(done, done.requiresAccessToken());
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

    private void checkOrigins(BulkManifest done) {
        for (BulkManifest.OutputFile file : done.outputs()) {
            if (done.requiresAccessToken() && !Urls.sameOrigin(file.url(), baseUrl)) {
                throw new SourceException("the export manifest asks for the access token to be"
                        + " sent to " + Urls.redact(file.url()) + ", outside the FHIR server;"
                        + " refused");
            }
        }
    }

    /**
     * Notes a reader opened on a job.
     *
     * @param job the job
     * @param reader the reader
     */
    void opened(BulkExport job, BulkTypeReader reader) {
        readers.computeIfAbsent(job, j -> new ArrayList<>()).add(reader);
    }

    /**
     * Returns the first export completed.
     *
     * @return the export, once one completed
     */
    Optional<Export> first() {
        return exports.values().stream().findFirst();
    }

    /**
     * Deletes every job whose streams were all read to their end. The job of a read that
     * stopped in the middle stays, so the next run can take it up.
     */
    void deleteFinished() {
        for (BulkExport job : jobs) {
            if (readers.getOrDefault(job, List.of()).stream().allMatch(BulkTypeReader::ended)) {
                job.delete();
            }
        }
    }

    @Override
    public String toString() {
        return "BulkJobs[" + jobs.size() + " jobs]";
    }
}
