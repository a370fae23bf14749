package org.phicourier.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.phicourier.ConfigurationException;

/**
 * The static authentication schemes: none, a bearer token, HTTP Basic, and an API key header.
 * For tokens that expire use {@link OAuth2ClientCredentials} or {@link SmartBackendServices}.
 *
 * <p>Every scheme reads its {@link Secret} on each request, so a rotated secret takes effect at
 * once. The schemes returned are immutable and thread-safe, and print no credential.
 */
public final class Auth {
    private static final Pattern TOKEN_CHARS = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private Auth() {
    }

    /**
     * Sends no credentials.
     *
     * @return the scheme
     */
    public static HttpAuth none() {
        return new Fixed("none", null, null);
    }

    /**
     * Sends {@code Authorization: Bearer <token>}.
     *
     * @param token the token
     * @return the scheme
     */
    public static HttpAuth bearer(Secret token) {
        Objects.requireNonNull(token, "token");
        return new Fixed("bearer " + token, "Authorization", () -> "Bearer " + token.get());
    }

    /**
     * Sends HTTP Basic credentials (RFC 7617, UTF-8).
     *
     * @param user the user name, without a colon
     * @param password the password
     * @return the scheme
     * @throws ConfigurationException when the user name contains a colon
     */
    public static HttpAuth basic(String user, Secret password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.contains(":")) {
            throw new ConfigurationException("a Basic auth user name must not contain ':'");
        }
        return new Fixed("basic user " + user + ", " + password, "Authorization",
                () -> "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password.get()).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Sends an API key in a header of the API's choosing.
     *
     * @param header the header name, for example {@code X-API-Key}
     * @param key the key
     * @return the scheme
     * @throws ConfigurationException when the header name is not a valid HTTP token
     */
    public static HttpAuth apiKey(String header, Secret key) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(key, "key");
        if (!TOKEN_CHARS.matcher(header).matches()) {
            throw new ConfigurationException("API key header name '" + header
                    + "' is not a valid HTTP header name");
        }
        return new Fixed("API key in " + header + ", " + key, header, key);
    }

    /** A scheme whose header is computed from a secret on each request. */
    private static final class Fixed implements HttpAuth {
        private final String description;
        private final String header;
        private final java.util.function.Supplier<String> value;

        Fixed(String description, String header, java.util.function.Supplier<String> value) {
            this.description = description;
            this.header = header;
            this.value = value;
        }

        @Override
        public Optional<AuthHeader> header() {
            return header == null ? Optional.empty()
                    : Optional.of(AuthHeader.of(header, value.get()));
        }

        @Override
        public String toString() {
            return "Auth[" + description + "]";
        }
    }
}
