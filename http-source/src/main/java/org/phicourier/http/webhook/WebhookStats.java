package org.phicourier.http.webhook;

/**
 * What a {@link WebhookReceiver} did with the requests it got, since it started. Counts only.
 *
 * @param accepted events newly held in the spool and acknowledged
 * @param duplicates deliveries of events already held or delivered, acknowledged again
 * @param refusedSignature requests refused with 401 for a missing or wrong signature
 * @param refusedTimestamp requests refused with 401 for a missing, malformed or stale timestamp
 * @param refusedOther requests refused for their method, path, content type, size or JSON
 * @param spoolFailures events that could not be held, answered with 503 and not acknowledged
 */
public record WebhookStats(long accepted, long duplicates, long refusedSignature,
        long refusedTimestamp, long refusedOther, long spoolFailures) {
}
