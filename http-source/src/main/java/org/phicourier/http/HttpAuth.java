package org.phicourier.http;

import java.util.Optional;

/**
 * Authenticates the requests of an HTTP source. Ready-made schemes come from {@link Auth},
 * {@link OAuth2ClientCredentials} and {@link SmartBackendServices}; callers may implement their
 * own.
 *
 * <p>Implementations are thread-safe and never log or print a credential.
 */
public interface HttpAuth {
    /**
     * Returns the header to send with the next request, fetching or renewing a token when the
     * cached one is missing or about to expire.
     *
     * @return the header, or nothing for unauthenticated requests
     * @throws org.phicourier.ConfigurationException when the credentials are missing or refused
     * @throws org.phicourier.SourceException when a token endpoint cannot be reached
     */
    Optional<AuthHeader> header();

    /**
     * Reacts to a server answering 401 to a request sent with the given header: a token-based
     * scheme drops that token and fetches a new one.
     *
     * <p>The request is repeated once when this returns true; a second 401 fails it.
     *
     * @param rejected the header the server refused
     * @return true when fresh credentials are available; false by default
     */
    default boolean refreshAfterRejection(AuthHeader rejected) {
        return false;
    }
}
