package org.phicourier.http.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.phicourier.PhiCourierException;
import org.phicourier.SourceException;
import org.phicourier.http.internal.BodyFault;
import org.phicourier.http.internal.Exchange;
import org.phicourier.http.internal.HttpCall;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.Json;
import org.phicourier.http.internal.JsonFaults;
import org.phicourier.http.internal.NdjsonLines;
import org.phicourier.http.internal.OperationOutcomes;
import org.phicourier.http.internal.RetryAfter;
import org.phicourier.http.internal.Sleep;
import org.phicourier.http.internal.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Bulk Data export job: kick-off with {@code Prefer: respond-async}, polling of the
 * status URL (honouring {@code Retry-After}, logging {@code X-Progress}) until the manifest
 * arrives, reading of the error files, and deletion of the job. Not thread-safe.
 */
final class BulkExport {
    private static final Logger LOG = LoggerFactory.getLogger(BulkExport.class);
    private static final int MANIFEST_LIMIT = 32 * 1024 * 1024;
    private static final Set<Integer> POLL_RETRYABLE = Set.of(429, 502, 503, 504);

    private final HttpExecutor http;
    private final URI base;
    private final URI kickOff;
    private final Duration timeout;
    private final Duration minPoll;
    private final Duration maxPoll;
    private final Clock clock;
    private Optional<URI> status = Optional.empty();
    private boolean deleted;

    BulkExport(HttpExecutor http, URI base, URI kickOff, Duration timeout, Duration minPoll,
            Duration maxPoll, Clock clock) {
        this.http = http;
        this.base = base;
        this.kickOff = kickOff;
        this.timeout = timeout;
        this.minPoll = minPoll;
        this.maxPoll = maxPoll;
        this.clock = clock;
    }

    /** Starts the export and waits for its manifest. */
    BulkManifest run() {
        status = Optional.of(start());
        return poll(status.get());
    }

    /**
     * Takes up a job an earlier run started, by its status URL, and waits for its manifest.
     *
     * @param statusUrl the job's status URL, on the FHIR server's origin
     * @return the manifest
     * @throws org.phicourier.SourceException when the job is gone or failed
     */
    BulkManifest resume(URI statusUrl) {
        status = Optional.of(statusUrl);
        LOG.info("bulk export taken up again; polling {}", Urls.redact(statusUrl));
        return poll(statusUrl);
    }

    /**
     * Returns the job's status URL, once it was started or taken up.
     *
     * @return the URL
     */
    Optional<URI> statusUrl() {
        return status;
    }

    private URI start() {
        HttpCall call = HttpCall.get(kickOff).header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async");
        try (Exchange answer = http.send(call)) {
            if (answer.status() != 202) {
                throw new SourceException(call.describe() + ": the export kick-off answered HTTP "
                        + answer.status() + ", not 202 Accepted; the server did not start an"
                        + " asynchronous export");
            }
            String location = answer.headers().firstValue("Content-Location").orElseThrow(() ->
                    new SourceException(call.describe() + ": the export kick-off answered 202"
                            + " without a Content-Location"));
            URI statusUrl = Urls.sameOriginLink(kickOff, location, base);
            LOG.info("bulk export started; polling {}", Urls.redact(statusUrl));
            return statusUrl;
        }
    }

    private BulkManifest poll(URI statusUrl) {
        Instant deadline = clock.instant().plus(timeout);
        HttpCall call = HttpCall.get(statusUrl).header("Accept", "application/json")
                .retryOn(POLL_RETRYABLE);
        Duration backoff = minPoll;
        while (true) {
            Duration wait;
            try (Exchange answer = http.send(call)) {
                if (answer.status() == 200) {
                    return manifest(answer);
                }
                if (answer.status() != 202) {
                    throw new SourceException(call.describe() + ": the export status answered"
                            + " HTTP " + answer.status() + ", expected 202 or 200");
                }
                progress(answer);
                wait = RetryAfter.of(answer.headers(), clock).orElse(backoff);
            }
            wait = wait.compareTo(minPoll) < 0 ? minPoll : wait;
            backoff = backoff.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll
                    : backoff.multipliedBy(2);
            if (clock.instant().plus(wait).isAfter(deadline)) {
                throw new SourceException(call.describe() + ": the export did not complete within"
                        + " " + timeout.toMinutes() + " min (exportTimeout)");
            }
            Sleep.of(wait, "waiting for the bulk export");
        }
    }

    private static void progress(Exchange answer) {
        answer.headers().firstValue("X-Progress")
                .map(text -> text.replaceAll("[^\\x20-\\x7e]", "?"))
                .map(text -> text.length() > 100 ? text.substring(0, 100) : text)
                .ifPresent(text -> LOG.info("bulk export in progress: {}", text));
    }

    private BulkManifest manifest(Exchange answer) {
        try {
            answer.expectContent(false);
            byte[] body = answer.body().readNBytes(MANIFEST_LIMIT + 1);
            if (body.length > MANIFEST_LIMIT) {
                throw new BodyFault("the export manifest is larger than 32 MiB");
            }
            BulkManifest manifest = BulkManifest.parse(Json.MAPPER.readTree(body),
                    answer.uri());
            LOG.info("bulk export complete: {} output files, transaction time {}",
                    manifest.outputs().size(), manifest.transactionTime());
            return manifest;
        } catch (BodyFault fault) {
            throw new SourceException(answer.call().describe() + " answered a manifest that"
                    + " cannot be used: " + fault.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SourceException(answer.call().describe() + " answered a manifest that"
                    + " cannot be used: " + JsonFaults.describe(e));
        } catch (IOException e) {
            throw new SourceException(answer.call().describe() + ": reading the manifest failed"
                    + " (" + JsonFaults.describe(e) + ")");
        }
    }

    /**
     * Reads the error files of a manifest and summarises their OperationOutcomes by codes.
     *
     * @return summaries with how often each occurred; empty when there were none
     */
    Map<String, Long> errors(BulkManifest manifest, boolean sendToken) {
        Map<String, Long> counts = new TreeMap<>();
        for (BulkManifest.OutputFile file : manifest.errors()) {
            HttpCall call = HttpCall.get(file.url()).header("Accept", "application/fhir+ndjson")
                    .authenticate(sendToken && Urls.sameOrigin(file.url(), base));
            Exchange answer = http.send(call);
            try (NdjsonLines lines = open(answer)) {
                for (Optional<JsonNode> line = lines.next(); line.isPresent();
                        line = lines.next()) {
                    counts.merge(OperationOutcomes.summary(line.get()), 1L, Long::sum);
                }
            } catch (BodyFault fault) {
                throw new SourceException(call.describe() + " answered an error file that cannot"
                        + " be used: " + fault.getMessage());
            }
        }
        return counts;
    }

    private static NdjsonLines open(Exchange answer) {
        answer.expectContent(true);
        return NdjsonLines.open(answer);
    }

    /** Deletes the job on the server, once; a failure is logged, not thrown. */
    void delete() {
        if (status.isEmpty() || deleted) {
            return;
        }
        deleted = true;
        HttpCall call = HttpCall.delete(status.get()).retryOn(Set.of(429, 503));
        try (Exchange answer = http.send(call)) {
            LOG.info("bulk export job deleted: {} answered HTTP {}", call.describe(),
                    answer.status());
        } catch (PhiCourierException e) {
            LOG.warn("deleting the bulk export job failed: {}", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "BulkExport[" + Urls.redact(kickOff) + "]";
    }
}
