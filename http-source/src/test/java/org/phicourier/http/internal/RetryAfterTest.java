package org.phicourier.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
    private static final Clock LOCAL = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"),
            ZoneOffset.UTC);

    @Test
    void of_delaySeconds_isThatDuration() {
        assertThat(RetryAfter.of(headers(Map.of("Retry-After", "120")), LOCAL))
                .hasValue(Duration.ofSeconds(120));
    }

    @Test
    void of_httpDate_isMeasuredAgainstTheResponsesDateNotTheLocalClock() {
        HttpHeaders headers = headers(Map.of(
                "Date", "Tue, 06 Aug 2024 18:12:57 GMT",
                "Retry-After", "Tue, 06 Aug 2024 18:13:27 GMT"));

        assertThat(RetryAfter.of(headers, LOCAL)).hasValue(Duration.ofSeconds(30));
    }

    @Test
    void of_httpDateWithoutDateHeader_isMeasuredAgainstTheLocalClock() {
        HttpHeaders headers = headers(Map.of("Retry-After", "Tue, 01 Jan 2030 00:00:10 GMT"));

        assertThat(RetryAfter.of(headers, LOCAL)).hasValue(Duration.ofSeconds(10));
    }

    @Test
    void of_dateInThePast_isZero() {
        HttpHeaders headers = headers(Map.of("Retry-After", "Tue, 06 Aug 2024 18:13:27 GMT"));

        assertThat(RetryAfter.of(headers, LOCAL)).hasValue(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "1.5", "", "99999999999"})
    void of_malformedValue_isEmpty(String value) {
        assertThat(RetryAfter.of(headers(Map.of("Retry-After", value)), LOCAL)).isEmpty();
    }

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> all = new java.util.HashMap<>();
        values.forEach((k, v) -> all.put(k, List.of(v)));
        return HttpHeaders.of(all, (k, v) -> true);
    }
}
