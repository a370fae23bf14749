package org.phicourier.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.phicourier.SourceException;
import org.phicourier.http.AuthHeader;

/**
 * Asks an OAuth 2.0 token endpoint for an access token with the client credentials grant and
 * reads its answer. Neither the form (which may hold a secret) nor the answer is ever printed.
 */
public final class TokenEndpoint {
    private static final int ANSWER_LIMIT = 64 * 1024;
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final HttpExecutor http;
    private final URI url;
    private final Clock clock;

    /**
     * Creates a client of one token endpoint.
     *
     * @param http sends the requests, without the source's own authentication
     * @param url the token endpoint
     * @param clock stamps the tokens
     */
    public TokenEndpoint(HttpExecutor http, URI url, Clock clock) {
        this.http = http;
        this.url = url;
        this.clock = clock;
    }

    /**
     * Requests a token.
     *
     * @param form the encoded form: grant type, scope and client authentication
     * @param clientAuth a header authenticating the client, when the form does not
     * @return the token
     * @throws SourceException when the endpoint fails or its answer is not a bearer token
     */
    public TokenCache.AccessToken request(String form, Optional<AuthHeader> clientAuth) {
        HttpCall call = HttpCall.postForm(url, form).header("Accept", "application/json");
        if (clientAuth.isPresent()) {
            call = call.header(clientAuth.get().name(), clientAuth.get().value());
        }
        Instant asked = clock.instant();
        try (Exchange answer = http.send(call)) {
            answer.expectContent(false);
            return parse(Json.MAPPER.readTree(answer.body().readNBytes(ANSWER_LIMIT)), asked);
        } catch (BodyFault fault) {
            throw unusable(fault.getMessage());
        } catch (IOException e) {
            throw unusable("it cannot be read (" + JsonFaults.describe(e) + ")");
        }
    }

    private TokenCache.AccessToken parse(JsonNode answer, Instant asked) {
        if (answer == null || !answer.path("access_token").isTextual()
                || answer.path("access_token").asText().isBlank()) {
            throw unusable("it holds no access_token");
        }
        String type = answer.path("token_type").asText("bearer").toLowerCase(Locale.ROOT);
        if (!type.equals("bearer")) {
            throw unusable("its token_type is not bearer");
        }
        Duration lifetime = answer.path("expires_in").canConvertToLong()
                ? Duration.ofSeconds(Math.max(1, answer.path("expires_in").asLong()))
                : DEFAULT_LIFETIME;
        return new TokenCache.AccessToken(answer.path("access_token").asText(), asked,
                asked.plus(lifetime));
    }

    private SourceException unusable(String why) {
        return new SourceException("the answer of token endpoint " + Urls.redact(url)
                + " cannot be used: " + why);
    }

    @Override
    public String toString() {
        return "TokenEndpoint[" + Urls.redact(url) + "]";
    }
}
