package org.phicourier.http.internal;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the {@code Retry-After} header: delay seconds, or an HTTP date measured against the
 * response's own {@code Date} header (the server's clock), falling back to the local clock.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * Returns how long the server asks the client to wait.
     *
     * @param headers the response headers
     * @param clock the local clock, used only when the response has no valid {@code Date}
     * @return the wait, never negative; empty when the header is missing or malformed
     */
    public static Optional<Duration> of(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        if (text.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        Optional<Instant> until = httpDate(text);
        if (until.isEmpty()) {
            return Optional.empty();
        }
        Instant now = headers.firstValue("Date").flatMap(RetryAfter::httpDate)
                .orElse(clock.instant());
        Duration wait = Duration.between(now, until.get());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
