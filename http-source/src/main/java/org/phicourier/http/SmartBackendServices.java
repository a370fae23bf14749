package org.phicourier.http;

import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.http.internal.HttpExecutor;
import org.phicourier.http.internal.JwtAssertion;
import org.phicourier.http.internal.PemKeys;
import org.phicourier.http.internal.TokenCache;
import org.phicourier.http.internal.TokenEndpoint;
import org.phicourier.http.internal.Urls;

/**
 * SMART Backend Services authorization (HL7 SMART App Launch, "client-confidential-asymmetric"):
 * the client proves itself to the token endpoint with a short-lived JWT signed with its private
 * key, RS384 for an RSA key or ES384 for a P-384 EC key, and sends the bearer token it gets.
 *
 * <p>Each assertion is fresh (its own {@code jti}, valid for {@link Builder#assertionLifetime},
 * at most 5 minutes). Tokens are cached and renewed before expiry and on 401, as with
 * {@link OAuth2ClientCredentials}. The private key and tokens are never logged or printed.
 * Instances are thread-safe.
 */
public final class SmartBackendServices implements HttpAuth {
    private static final String ASSERTION_TYPE =
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final URI tokenUrl;
    private final String clientId;
    private final PrivateKey key;
    private final Optional<String> keyId;
    private final String scope;
    private final Duration assertionLifetime;
    private final Clock clock;
    private final TokenEndpoint endpoint;
    private final TokenCache cache;

    private SmartBackendServices(Builder builder) {
        this.tokenUrl = builder.tokenUrl;
        this.clientId = builder.clientId;
        this.key = builder.key;
        this.keyId = Optional.ofNullable(builder.keyId);
        this.scope = builder.scope;
        this.assertionLifetime = builder.assertionLifetime;
        this.clock = builder.clock;
        this.endpoint = new TokenEndpoint(HttpExecutor.create(builder.http.toBuilder()
                .auth(Auth.none()).build()), tokenUrl, clock);
        this.cache = new TokenCache(this::fetch, clock, builder.refreshMargin);
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
     * Returns the JWS algorithm of the assertions.
     *
     * @return RS384 or ES384
     */
    public String algorithm() {
        return JwtAssertion.algorithm(key);
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
        String assertion = JwtAssertion.sign(key, keyId, clientId, tokenUrl, clock.instant(),
                assertionLifetime);
        String form = "grant_type=client_credentials&scope=" + Urls.encode(scope)
                + "&client_assertion_type=" + Urls.encode(ASSERTION_TYPE)
                + "&client_assertion=" + Urls.encode(assertion);
        return endpoint.request(form, Optional.empty());
    }

    /** Shows the endpoint, client, algorithm and key id, never the key or a token. */
    @Override
    public String toString() {
        return "SmartBackendServices[" + Urls.redact(tokenUrl) + ", client " + clientId + ", "
                + algorithm() + keyId.map(kid -> ", kid " + kid).orElse("") + "]";
    }

    /** Builds {@link SmartBackendServices}; mutable and not thread-safe. */
    public static final class Builder {
        private URI tokenUrl;
        private String clientId;
        private PrivateKey key;
        private String keyId;
        private String scope = "system/*.read";
        private Duration assertionLifetime = Duration.ofMinutes(4);
        private Duration refreshMargin = Duration.ofSeconds(60);
        private HttpOptions http = HttpOptions.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the token endpoint, also the audience of the assertions. Required.
         *
         * @param url an https URL
         * @return this builder
         */
        public Builder tokenUrl(URI url) {
            this.tokenUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Sets the client id registered with the server. Required.
         *
         * @param id the client id
         * @return this builder
         */
        public Builder clientId(String id) {
            this.clientId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the signing key. This or {@link #privateKeyPem} is required.
         *
         * @param privateKey an RSA key of at least 2048 bits or an EC key on P-384
         * @return this builder
         */
        public Builder privateKey(PrivateKey privateKey) {
            this.key = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /**
         * Reads the signing key from PEM text (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted),
         * for example {@code Secret.fromFile(path)}; the text is read once, here.
         *
         * @param pem the PEM text
         * @return this builder
         * @throws ConfigurationException when it holds no supported key
         */
        public Builder privateKeyPem(Secret pem) {
            this.key = PemKeys.read(pem.get(), pem.toString());
            return this;
        }

        /**
         * Reads the signing key from a PEM file.
         *
         * @param file the key file
         * @return this builder
         * @throws ConfigurationException when the file cannot be read or holds no supported key
         */
        public Builder privateKeyFile(Path file) {
            return privateKeyPem(Secret.fromFile(file));
        }

        /**
         * Sets the {@code kid} header that tells the server which of its registered keys signs;
         * none by default.
         *
         * @param id the key id
         * @return this builder
         */
        public Builder keyId(String id) {
            this.keyId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the scope asked for; {@code system/*.read} by default.
         *
         * @param scope space-separated SMART scopes
         * @return this builder
         */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Sets how long an assertion is valid; 4 minutes by default, at most 5.
         *
         * @param lifetime positive, at most 5 minutes
         * @return this builder
         */
        public Builder assertionLifetime(Duration lifetime) {
            this.assertionLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /**
         * Sets how long before expiry a token is renewed; 60 s by default.
         *
         * @param margin zero or more
         * @return this builder
         */
        public Builder refreshMargin(Duration margin) {
            this.refreshMargin = Objects.requireNonNull(margin, "margin");
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
         * Sets the clock for assertion times and token expiry; the system clock by default.
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
         * @throws ConfigurationException when a required setting is missing, the key is not
         *     usable for RS384 or ES384, the lifetime is out of range, or the endpoint is plain
         *     HTTP without permission
         */
        public SmartBackendServices build() {
            if (tokenUrl == null || clientId == null || clientId.isBlank() || key == null) {
                throw new ConfigurationException("SMART Backend Services: tokenUrl, clientId and"
                        + " a private key are required");
            }
            JwtAssertion.algorithm(key);
            if (assertionLifetime.isNegative() || assertionLifetime.isZero()
                    || assertionLifetime.compareTo(Duration.ofMinutes(5)) > 0
                    || refreshMargin.isNegative()) {
                throw new ConfigurationException("SMART Backend Services: assertionLifetime must"
                        + " be positive and at most 5 minutes, refreshMargin not negative");
            }
            Urls.checkTransport(tokenUrl, http.allowPlainHttp(), "token endpoint");
            return new SmartBackendServices(this);
        }
    }
}
