package org.phicourier.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.phicourier.ConfigurationException;

/**
 * How an HTTP source talks to a server: authentication, retries, a client-side rate limit,
 * timeouts, TLS, and whether plain HTTP is allowed.
 *
 * <p>Plain {@code http://} URLs are refused unless {@link Builder#allowPlainHttp} is switched on,
 * so that PHI and credentials never cross a network unencrypted by accident; the check applies to
 * every URL a source visits, including next-page links and export files. Redirects are never
 * followed, so credentials never reach a host they were not meant for.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class HttpOptions {
    private static final HttpOptions DEFAULTS = builder().build();

    private final HttpAuth auth;
    private final RetryPolicy retryPolicy;
    private final double requestsPerSecond;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration readTimeout;
    private final SSLContext sslContext;
    private final String userAgent;
    private final boolean allowPlainHttp;

    private HttpOptions(Builder builder) {
        this.auth = builder.auth;
        this.retryPolicy = builder.retryPolicy;
        this.requestsPerSecond = builder.requestsPerSecond;
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.readTimeout = builder.readTimeout;
        this.sslContext = builder.sslContext;
        this.userAgent = builder.userAgent;
        this.allowPlainHttp = builder.allowPlainHttp;
    }

    /**
     * Returns the defaults: no authentication, {@link RetryPolicy#defaults()}, no rate limit,
     * timeouts of 10 s to connect and 60 s for a response and between body bytes, the JDK's TLS
     * settings, plain HTTP refused.
     *
     * @return the default options
     */
    public static HttpOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts building options from the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder().auth(auth).retryPolicy(retryPolicy)
                .requestsPerSecond(requestsPerSecond).connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout).readTimeout(readTimeout).userAgent(userAgent)
                .allowPlainHttp(allowPlainHttp);
        builder.sslContext = sslContext;
        return builder;
    }

    /**
     * Returns how requests are authenticated.
     *
     * @return the scheme
     */
    public HttpAuth auth() {
        return auth;
    }

    /**
     * Returns the retry policy.
     *
     * @return the policy
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Returns the client-side rate limit.
     *
     * @return requests per second; 0 for no limit
     */
    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    /**
     * Returns the connect timeout.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns how long a request may wait for the response headers.
     *
     * @return the timeout
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Returns how long reading a body may wait for the next bytes.
     *
     * @return the timeout
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Returns the TLS context, when one was set.
     *
     * @return the context; the JDK default otherwise
     */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /**
     * Returns the {@code User-Agent} sent.
     *
     * @return the user agent
     */
    public String userAgent() {
        return userAgent;
    }

    /**
     * Tells whether plain HTTP URLs are allowed.
     *
     * @return true when allowed
     */
    public boolean allowPlainHttp() {
        return allowPlainHttp;
    }

    @Override
    public String toString() {
        return "HttpOptions[auth=" + auth + ", " + retryPolicy + ", requestsPerSecond="
                + requestsPerSecond + ", allowPlainHttp=" + allowPlainHttp + "]";
    }

    /** Builds {@link HttpOptions}; mutable and not thread-safe. */
    public static final class Builder {
        private HttpAuth auth = Auth.none();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private double requestsPerSecond;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration readTimeout = Duration.ofSeconds(60);
        private SSLContext sslContext;
        private String userAgent = "phi-courier";
        private boolean allowPlainHttp;

        private Builder() {
        }

        /**
         * Sets how requests are authenticated; none by default.
         *
         * @param auth the scheme
         * @return this builder
         */
        public Builder auth(HttpAuth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /**
         * Sets the retry policy; {@link RetryPolicy#defaults()} by default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Limits how many requests per second the source sends, retries included; no limit by
         * default.
         *
         * @param rate requests per second, above 0; or 0 for no limit
         * @return this builder
         */
        public Builder requestsPerSecond(double rate) {
            this.requestsPerSecond = rate;
            return this;
        }

        /**
         * Sets the connect timeout; 10 s by default.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets how long a request may wait for the response headers; 60 s by default. A timeout
         * is retried like a connection failure.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets how long reading a body may wait for its next bytes; 60 s by default.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the TLS context, for a private trust store or client certificates; the JDK
         * default otherwise.
         *
         * @param context the context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Sets the {@code User-Agent} header; {@code phi-courier} by default.
         *
         * @param agent the header value
         * @return this builder
         */
        public Builder userAgent(String agent) {
            this.userAgent = Objects.requireNonNull(agent, "agent");
            return this;
        }

        /**
         * Allows plain {@code http://} URLs, for a server on the loopback interface in tests;
         * off by default, so that PHI and credentials never travel unencrypted by accident.
         *
         * @param allow true to allow plain HTTP
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws ConfigurationException when a timeout is not positive or the rate is negative
         */
        public HttpOptions build() {
            if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
                throw new ConfigurationException("HTTP options: requestsPerSecond must be 0 (no"
                        + " limit) or a positive number");
            }
            for (Duration timeout : new Duration[] {connectTimeout, requestTimeout, readTimeout}) {
                if (timeout.isNegative() || timeout.isZero()) {
                    throw new ConfigurationException("HTTP options: timeouts must be positive");
                }
            }
            return new HttpOptions(this);
        }
    }
}
