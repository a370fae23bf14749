package org.phicourier.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.TokenCache;
import org.phicourier.http.internal.TokenEndpoint;
import org.phicourier.http.internal.Urls;

/**
 * OAuth 2.0 client credentials (RFC 6749 section 4.4): the client authenticates to the token
 * endpoint with its id and secret, HTTP Basic by default, and sends the bearer token it gets.
 *
 * <p>The token is cached and renewed shortly before it expires (by {@link Builder#refreshMargin},
 * at most half its lifetime) and whenever a server answers 401 to it; concurrent requests share
 * one renewal. Neither the secret nor a token is ever logged or printed. Instances are
 * thread-safe.
 */
public final class OAuth2ClientCredentials implements HttpAuth {
    private final URI tokenUrl;
    private final String clientId;
    private final Secret clientSecret;
    private final Optional<String> scope;
    private final boolean secretInBody;
    private final TokenEndpoint endpoint;
    private final TokenCache cache;

    private OAuth2ClientCredentials(Builder builder) {
        this.tokenUrl = builder.tokenUrl;
        this.clientId = builder.clientId;
        this.clientSecret = builder.clientSecret;
        this.scope = Optional.ofNullable(builder.scope);
        this.secretInBody = builder.secretInBody;
        this.endpoint = new TokenEndpoint(HttpExecutor.create(builder.http.toBuilder()
                .auth(Auth.none()).build()), tokenUrl, builder.clock);
        this.cache = new TokenCache(this::fetch, builder.clock, builder.refreshMargin);
    }

    /**
     * Starts building the scheme.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<AuthHeader> header() {
        return Optional.of(cache.header());
    }

    @Override
    public boolean refreshAfterRejection(AuthHeader rejected) {
        return cache.refreshAfterRejection(rejected);
    }

    /**
     * Returns how many tokens were fetched so far, for monitoring.
     *
     * @return the count
     */
    public int tokensFetched() {
        return cache.fetches();
    }

    private TokenCache.AccessToken fetch() {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        scope.ifPresent(s -> form.append("&scope=").append(Urls.encode(s)));
        if (secretInBody) {
            form.append("&client_id=").append(Urls.encode(clientId))
                    .append("&client_secret=").append(Urls.encode(clientSecret.get()));
            return endpoint.request(form.toString(), Optional.empty());
        }
        String pair = Urls.encode(clientId) + ":" + Urls.encode(clientSecret.get());
        return endpoint.request(form.toString(), Optional.of(AuthHeader.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(
                        pair.getBytes(StandardCharsets.UTF_8)))));
    }

    /** Shows the token endpoint and client id, never the secret or a token. */
    @Override
    public String toString() {
        return "OAuth2ClientCredentials[" + Urls.redact(tokenUrl) + ", client " + clientId
                + ", " + clientSecret + "]";
    }

    /** Builds {@link OAuth2ClientCredentials}; mutable and not thread-safe. */
    public static final class Builder {
        private URI tokenUrl;
        private String clientId;
        private Secret clientSecret;
        private String scope;
        private boolean secretInBody;
        private HttpOptions http = HttpOptions.defaults();
        private Duration refreshMargin = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the token endpoint. Required.
         *
         * @param url an https URL
         * @return this builder
         */
        public Builder tokenUrl(URI url) {
            this.tokenUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Sets the client id. Required.
         *
         * @param id the client id
         * @return this builder
         */
        public Builder clientId(String id) {
            this.clientId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the client secret. Required.
         *
         * @param secret the secret
         * @return this builder
         */
        public Builder clientSecret(Secret secret) {
            this.clientSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * Sets the scope asked for; none by default.
         *
         * @param scope space-separated scopes
         * @return this builder
         */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Sends the id and secret in the form body ({@code client_secret_post}) instead of HTTP
         * Basic; off by default.
         *
         * @param inBody true to send them in the body
         * @return this builder
         */
        public Builder secretInBody(boolean inBody) {
            this.secretInBody = inBody;
            return this;
        }

        /**
         * Sets timeouts, retries and plain-HTTP permission for the token endpoint; its
         * authentication setting is ignored. {@link HttpOptions#defaults()} by default.
         *
         * @param options the options
         * @return this builder
         */
        public Builder http(HttpOptions options) {
            this.http = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sets how long before expiry a token is renewed; 60 s by default, and never more than
         * half the token's lifetime.
         *
         * @param margin zero or more
         * @return this builder
         */
        public Builder refreshMargin(Duration margin) {
            this.refreshMargin = Objects.requireNonNull(margin, "margin");
            return this;
        }

        /**
         * Sets the clock that tells when a token expires; the system clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the scheme; no token is fetched before the first request.
         *
         * @return the scheme
         * @throws ConfigurationException when the endpoint, id or secret is missing, or the
         *     endpoint is plain HTTP without permission
         */
        public OAuth2ClientCredentials build() {
            if (tokenUrl == null || clientId == null || clientId.isBlank()
                    || clientSecret == null) {
                throw new ConfigurationException("OAuth2 client credentials: tokenUrl, clientId"
                        + " and clientSecret are required");
            }
            if (refreshMargin.isNegative()) {
                throw new ConfigurationException("OAuth2 client credentials: refreshMargin must"
                        + " not be negative");
            }
            Urls.checkTransport(tokenUrl, http.allowPlainHttp(), "token endpoint");
            return new OAuth2ClientCredentials(this);
        }
    }
}
