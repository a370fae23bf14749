package org.phicourier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.phicourier.StreamReport;

class ProgressReporterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** A clock that moves one second on each reading. */
    private static final class Ticking extends Clock {
        private Instant now = Instant.parse("2026-12-04T10:00:00Z");

        @Override
        public Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private ProgressReporter reporter(boolean inPlace, Duration interval) {
        return ProgressReporter.builder().output(new PrintStream(bytes, true))
                .clock(new Ticking()).interval(interval).inPlace(inPlace).build();
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static StreamReport finished(long records) {
        return new StreamReport("patients", records, records, 0, List.of(), 0, Duration.ZERO,
                Map.of());
    }

    @Test
    void onBatch_knownTotal_showsShareRateAndTimeLeft() {
        ProgressReporter progress = reporter(false, Duration.ofHours(1));
        progress.onStreamStarted("patients", OptionalLong.of(1000));

        progress.onBatch("patients", 100, 100);

        assertThat(output()).isEqualTo("patients: 100 / 1,000 records (10%), 100/s,"
                + " about 9 s left\n");
    }

    @Test
    void onBatch_knownTotal_updatesAtEveryStepWhateverTheTime() {
        ProgressReporter progress = reporter(false, Duration.ofHours(1));
        progress.onStreamStarted("patients", OptionalLong.of(1000));

        for (int i = 0; i < 100; i++) {
            progress.onBatch("patients", 10, 10);
        }

        assertThat(output().lines()).hasSize(20);
    }

    @Test
    void onBatch_unknownTotal_updatesWhenTheIntervalPassed() {
        ProgressReporter progress = reporter(false, Duration.ofSeconds(3));
        progress.onStreamStarted("patients", OptionalLong.empty());

        for (int i = 0; i < 9; i++) {
            progress.onBatch("patients", 10, 10);
        }

        assertThat(output().lines()).hasSize(3).last().asString()
                .startsWith("patients: 90 records, ");
    }

    @Test
    void onStreamFinished_inPlace_rewritesTheLineAndEndsIt() {
        ProgressReporter progress = reporter(true, Duration.ofSeconds(1));
        progress.onStreamStarted("patients", OptionalLong.empty());
        progress.onBatch("patients", 1000, 1000);

        progress.onStreamFinished(finished(1000));

        assertThat(output()).startsWith("\rpatients: 1,000 records").contains("\rpatients:")
                .endsWith("\n").containsOnlyOnce("\n").contains("done in");
    }
}
