package org.phicourier.metrics;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import org.phicourier.ConfigurationException;
import org.phicourier.StreamReport;

/**
 * Shows a person how a long run goes: one line per stream with the records done, the rate and,
 * when the source can tell how many records to expect, the share done and the time remaining.
 * On a terminal the line is rewritten in place ({@code \r}); otherwise each update is a line of
 * its own. The line names streams and counts only.
 *
 * <p>An update is printed when the interval has passed since the last one, and, when the total
 * is known, at every {@link Builder#step step} of the total (5 % by default), so a long stream
 * shows a moving line however fast it runs. Instances are thread-safe.
 *
 * <pre>{@code
 * Pipeline.from(source).to(sink)
 *         .listener(ProgressReporter.builder().output(System.err).build())
 *         .build().run();
 * }</pre>
 */
public final class ProgressReporter implements RunListener {
    private final PrintStream out;
    private final Clock clock;
    private final Duration interval;
    private final int stepPercent;
    private final boolean inPlace;
    private String stream = "";
    private OptionalLong expected = OptionalLong.empty();
    private long done;
    private Instant started;
    private Instant printed;
    private long nextStep;
    private int lastWidth;

    private ProgressReporter(Builder builder) {
        this.out = builder.out;
        this.clock = builder.clock;
        this.interval = builder.interval;
        this.stepPercent = builder.stepPercent;
        this.inPlace = builder.inPlace;
    }

    /**
     * Starts building a reporter.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void onStreamStarted(String name, OptionalLong expectedRecords) {
        stream = name;
        expected = expectedRecords;
        done = 0;
        started = clock.instant();
        printed = started;
        nextStep = stepSize();
    }

    @Override
    public synchronized void onBatch(String name, int read, int written) {
        done += read;
        Instant now = clock.instant();
        boolean stepReached = nextStep > 0 && done >= nextStep;
        if (stepReached || !now.isBefore(printed.plus(interval))) {
            while (nextStep > 0 && done >= nextStep) {
                nextStep += stepSize();
            }
            print(now, false);
        }
    }

    @Override
    public synchronized void onStreamFinished(StreamReport report) {
        done = report.recordsRead();
        print(clock.instant(), true);
    }

    private long stepSize() {
        return expected.isPresent() ? Math.max(1, expected.getAsLong() * stepPercent / 100) : 0;
    }

    private void print(Instant now, boolean last) {
        String line = line(now, last);
        if (inPlace) {
            String padding = " ".repeat(Math.max(0, lastWidth - line.length()));
            out.print("\r" + line + padding + (last ? "\n" : ""));
            lastWidth = last ? 0 : line.length();
        } else {
            out.println(line);
        }
        out.flush();
        printed = now;
    }

    private String line(Instant now, boolean last) {
        double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
        long rate = Math.round(done / seconds);
        StringBuilder line = new StringBuilder(stream).append(": ")
                .append(String.format(Locale.ROOT, "%,d", done));
        if (expected.isPresent() && expected.getAsLong() > 0) {
            long total = expected.getAsLong();
            line.append(String.format(Locale.ROOT, " / %,d records (%d%%)", total,
                    Math.min(100, done * 100 / total)));
        } else {
            line.append(" records");
        }
        line.append(String.format(Locale.ROOT, ", %,d/s", rate));
        if (last) {
            line.append(String.format(Locale.ROOT, ", done in %.1f s", seconds));
        } else if (expected.isPresent() && rate > 0 && expected.getAsLong() > done) {
            line.append(String.format(Locale.ROOT, ", about %d s left",
                    (expected.getAsLong() - done + rate - 1) / rate));
        }
        return line.toString();
    }

    @Override
    public String toString() {
        return "ProgressReporter[" + stream + "]";
    }

    /** Builds a {@link ProgressReporter}; mutable and not thread-safe. */
    public static final class Builder {
        private PrintStream out = System.err;
        private Clock clock = Clock.systemUTC();
        private Duration interval = Duration.ofSeconds(1);
        private int stepPercent = 5;
        private boolean inPlace = true;

        private Builder() {
        }

        /**
         * Sets where progress goes; standard error by default.
         *
         * @param out the stream
         * @return this builder
         */
        public Builder output(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Sets the longest time between updates while records flow; one second by default.
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Sets the share of a known total after which an update is printed whatever the time;
         * 5 (percent) by default.
         *
         * @param percent from 1 to 100
         * @return this builder
         */
        public Builder step(int percent) {
            this.stepPercent = percent;
            return this;
        }

        /**
         * Rewrites one line in place, as on a terminal (the default), or prints a line per
         * update, as into a log file.
         *
         * @param inPlace true to rewrite in place
         * @return this builder
         */
        public Builder inPlace(boolean inPlace) {
            this.inPlace = inPlace;
            return this;
        }

        /**
         * Sets the clock that measures rates; the system UTC clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the reporter.
         *
         * @return the reporter
         * @throws ConfigurationException when the interval is not positive or
         *     the step is outside 1 to 100
         */
        public ProgressReporter build() {
            if (interval.isNegative() || interval.isZero()) {
                throw new ConfigurationException("progress interval must be"
                        + " positive");
            }
            if (stepPercent < 1 || stepPercent > 100) {
                throw new ConfigurationException("progress step must be 1 to"
                        + " 100 percent");
            }
            return new ProgressReporter(this);
        }
    }
}
