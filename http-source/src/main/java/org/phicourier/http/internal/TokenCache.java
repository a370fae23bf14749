package org.phicourier.http.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.phicourier.http.AuthHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches an access token and renews it before it expires (by a margin, at most half its
 * lifetime) and when a server rejects it. Thread-safe: concurrent callers share one renewal.
 */
public final class TokenCache {
    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);

    private final Supplier<AccessToken> fetcher;
    private final Clock clock;
    private final Duration margin;
    private AccessToken token;
    private int fetches;

    /**
     * Creates an empty cache.
     *
     * @param fetcher asks the token endpoint for a new token
     * @param clock tells when a token is due for renewal
     * @param margin how long before expiry a token is renewed
     */
    public TokenCache(Supplier<AccessToken> fetcher, Clock clock, Duration margin) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.margin = margin;
    }

    /**
     * Returns the {@code Authorization} header, renewing the token when it is due.
     *
     * @return the header
     */
    public synchronized AuthHeader header() {
        if (token == null || due(token)) {
            renew(token == null ? "no token yet" : "the token expires soon");
        }
        return token.header();
    }

    /**
     * Drops a token a server rejected and fetches a new one, unless another caller already did.
     *
     * @param rejected the header the server refused
     * @return true: fresh credentials are available
     */
    public synchronized boolean refreshAfterRejection(AuthHeader rejected) {
        if (token == null || token.header().equals(rejected)) {
            renew("the server rejected the token");
        }
        return true;
    }

    private boolean due(AccessToken current) {
        Duration lifetime = Duration.between(current.obtainedAt(), current.expiresAt());
        Duration lead = margin.compareTo(lifetime.dividedBy(2)) < 0 ? margin
                : lifetime.dividedBy(2);
        return !clock.instant().isBefore(current.expiresAt().minus(lead));
    }

    private void renew(String why) {
        token = fetcher.get();
        fetches++;
        LOG.debug("access token fetched ({}); valid until {}", why, token.expiresAt());
    }

    /**
     * Returns how many tokens were fetched so far.
     *
     * @return the count
     */
    public synchronized int fetches() {
        return fetches;
    }

    @Override
    public String toString() {
        return "TokenCache[fetches=" + fetches + "]";
    }

    /**
     * An access token with its lifetime.
     *
     * @param value the token; never printed
     * @param obtainedAt when it was received
     * @param expiresAt when it expires
     */
    public record AccessToken(String value, Instant obtainedAt, Instant expiresAt) {
        AuthHeader header() {
            return AuthHeader.of("Authorization", "Bearer " + value);
        }

        /** Shows the expiry only. */
        @Override
        public String toString() {
            return "AccessToken[expires " + expiresAt + "]";
        }
    }
}
