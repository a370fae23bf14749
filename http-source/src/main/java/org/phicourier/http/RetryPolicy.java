package org.phicourier.http;

import java.time.Duration;
import java.util.Objects;
import org.phicourier.ConfigurationException;

/**
 * When and how long an HTTP source retries: connection failures, timeouts and the statuses 429,
 * 500, 502, 503 and 504 are retried; every other error status fails at once.
 *
 * <p>The wait before a retry is the server's {@code Retry-After} when it sends one (seconds or an
 * HTTP date, measured against the response's {@code Date} header), otherwise an exponential
 * backoff from {@link Builder#initialBackoff} doubling up to {@link Builder#maxBackoff}, of which
 * a random half is jitter. A request gives up after {@link Builder#maxRetries} retries; a source
 * gives up when it has spent its {@link Builder#retryBudget} over all its requests, so that a
 * failing server is not hammered page after page. A {@code Retry-After} longer than
 * {@link Builder#maxRetryAfter} fails the request instead of stalling the run.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final int retryBudget;

    private RetryPolicy(Builder builder) {
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.maxRetryAfter = builder.maxRetryAfter;
        this.retryBudget = builder.retryBudget;
    }

    /**
     * Returns the default policy: 5 retries per request, backoff from 500 ms to 30 s, a
     * {@code Retry-After} of up to 5 minutes honoured, a budget of 100 retries per source.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a policy that never retries.
     *
     * @return the policy
     */
    public static RetryPolicy none() {
        return builder().maxRetries(0).retryBudget(0).build();
    }

    /**
     * Starts building a policy from the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the retries allowed per request.
     *
     * @return the retry count
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * Returns the wait before the first retry when the server gives none.
     *
     * @return the initial backoff
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * Returns the longest backoff between two attempts.
     *
     * @return the maximal backoff
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Returns the longest {@code Retry-After} that is honoured.
     *
     * @return the maximal server-requested wait
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * Returns the retries a source may spend over all its requests.
     *
     * @return the budget
     */
    public int retryBudget() {
        return retryBudget;
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxRetries=" + maxRetries + ", backoff=" + initialBackoff + ".."
                + maxBackoff + ", maxRetryAfter=" + maxRetryAfter + ", budget=" + retryBudget
                + "]";
    }

    /** Builds a {@link RetryPolicy}; mutable and not thread-safe. */
    public static final class Builder {
        private int maxRetries = 5;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofMinutes(5);
        private int retryBudget = 100;

        private Builder() {
        }

        /**
         * Sets the retries allowed per request; 5 by default.
         *
         * @param retries zero or more
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        /**
         * Sets the wait before the first retry when the server gives none; 500 ms by default.
         *
         * @param backoff positive
         * @return this builder
         */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Sets the longest backoff between two attempts; 30 s by default.
         *
         * @param backoff at least the initial backoff
         * @return this builder
         */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Sets the longest {@code Retry-After} that is honoured; 5 minutes by default.
         *
         * @param wait zero or more
         * @return this builder
         */
        public Builder maxRetryAfter(Duration wait) {
            this.maxRetryAfter = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /**
         * Sets the retries a source may spend over all its requests; 100 by default.
         *
         * @param retries zero or more
         * @return this builder
         */
        public Builder retryBudget(int retries) {
            this.retryBudget = retries;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws ConfigurationException when a count is negative or a duration out of range
         */
        public RetryPolicy build() {
            if (maxRetries < 0 || retryBudget < 0) {
                throw new ConfigurationException("retry policy: maxRetries and retryBudget must"
                        + " not be negative");
            }
            if (initialBackoff.isNegative() || initialBackoff.isZero()
                    || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryAfter.isNegative()) {
                throw new ConfigurationException("retry policy: initialBackoff must be positive,"
                        + " maxBackoff at least initialBackoff, maxRetryAfter not negative");
            }
            return new RetryPolicy(this);
        }
    }
}
