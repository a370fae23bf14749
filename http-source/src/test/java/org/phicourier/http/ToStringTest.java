package org.phicourier.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.http.fhir.FhirSearchSource;
import org.phicourier.http.internal.TokenCache;
import org.phicourier.http.webhook.WebhookSpool;

/** Every type that holds a credential, a record or a search value prints none of them. */
class ToStringTest {
    private static final String SECRET = "Sup3r-Secret-Value-xyz";

    static Stream<Arguments> holders() throws Exception {
        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return Stream.of(
                Arguments.of(Secret.of(SECRET)),
                Arguments.of(Secret.from(() -> SECRET)),
                Arguments.of(AuthHeader.of("Authorization", "Bearer " + SECRET)),
                Arguments.of(Auth.bearer(Secret.of(SECRET))),
                Arguments.of(Auth.basic("user", Secret.of(SECRET))),
                Arguments.of(Auth.apiKey("X-Key", Secret.of(SECRET))),
                Arguments.of(OAuth2ClientCredentials.builder()
                        .tokenUrl(URI.create("https://auth.example/token?code=" + SECRET))
                        .clientId("c").clientSecret(Secret.of(SECRET)).build()),
                Arguments.of(SmartBackendServices.builder()
                        .tokenUrl(URI.create("https://auth.example/token")).clientId("c")
                        .privateKey(rsa.generateKeyPair().getPrivate()).build()),
                Arguments.of(HttpOptions.builder().auth(Auth.bearer(Secret.of(SECRET))).build()),
                Arguments.of(new TokenCache.AccessToken(SECRET, Instant.now(), Instant.now())),
                Arguments.of(RestStream.builder("s").path("/x").queryParam("name", SECRET)
                        .build()),
                Arguments.of(RestSource.builder().baseUrl(URI.create("https://a.example/?k="
                        + SECRET)).stream(RestStream.builder("s").path("/x").build()).build()),
                Arguments.of(FhirSearchSource.builder().baseUrl(URI.create("https://a.example/"))
                        .search("Patient", "name=" + SECRET).build()));
    }

    @ParameterizedTest
    @MethodSource("holders")
    void toString_holderOfSecrets_hidesThem(Object holder) {
        assertThat(holder.toString()).doesNotContain(SECRET).doesNotContain("PRIVATE");
    }

    @Test
    void toString_spoolAndKeyring_showKeyIdOnly(@TempDir Path dir) {
        byte[] key = new byte[32];
        WebhookSpool spool = WebhookSpool.open(dir, LocalAesKeyring.of(key),
                Duration.ofMinutes(1));

        assertThat(spool.toString()).contains("local-aes:").doesNotContain("AAAA");
    }
}
