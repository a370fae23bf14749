package org.phicourier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;
import org.phicourier.model.Row;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.LoopbackServer;

class AuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_SECRET = "s3cr3t-Client-Secret-9f8e7d";
    private static final int PAGES = 6;

    private LoopbackServer server;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicReference<String> validToken = new AtomicReference<>("");
    private final AtomicInteger servedWithToken = new AtomicInteger();
    private volatile int expireAfterPages = Integer.MAX_VALUE;
    private final List<String> assertionProblems = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> tokenForms = new CopyOnWriteArrayList<>();
    private volatile PublicKey clientKey;

    @BeforeEach
    void start() {
        server = LoopbackServer.start();
        server.route("/api/items", this::items);
        server.route("/oauth/token", this::token);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void items(LoopbackServer.Request request, LoopbackServer.Reply reply)
            throws IOException {
        String expected = "Bearer " + validToken.get();
        if (!request.header("Authorization").orElse("").equals(expected)) {
            reply.send(401, "application/json", "{\"error\":\"invalid_token\"}");
            return;
        }
        if (servedWithToken.incrementAndGet() >= expireAfterPages) {
            validToken.set("expired-" + validToken.get());
        }
        int page = request.param("page").map(Integer::parseInt).orElse(1);
        if (page < PAGES) {
            reply.header("Link", "</api/items?page=" + (page + 1) + ">; rel=\"next\"");
        }
        reply.send(200, "application/json", "{\"data\":[{\"page\":" + page + "}]}");
    }

    private void token(LoopbackServer.Request request, LoopbackServer.Reply reply)
            throws IOException {
        Map<String, String> form = form(new String(request.body(), StandardCharsets.UTF_8));
        tokenForms.add(form);
        boolean basicOk = request.header("Authorization").orElse("").equals("Basic "
                + Base64.getEncoder().encodeToString(("client-7:" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8)));
        boolean assertionOk = form.containsKey("client_assertion") && checkAssertion(form);
        if (!basicOk && !assertionOk) {
            reply.send(401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = "tok-" + tokensIssued.incrementAndGet() + "-Zx81Qw";
        validToken.set(token);
        servedWithToken.set(0);
        reply.send(200, "application/json", "{\"access_token\":\"" + token
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private boolean checkAssertion(Map<String, String> form) {
        try {
            String[] parts = form.get("client_assertion").split("\\.");
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            String alg = header.path("alg").asText();
            Signature verifier = Signature.getInstance(alg.equals("RS384") ? "SHA384withRSA"
                    : "SHA384withECDSAinP1363Format");
            verifier.initVerify(clientKey);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            long now = Instant.now().getEpochSecond();
            check(verifier.verify(Base64.getUrlDecoder().decode(parts[2])), "signature");
            check(header.path("kid").asText().equals("key-2026"), "kid");
            check(claims.path("iss").asText().equals("client-7"), "iss");
            check(claims.path("sub").asText().equals("client-7"), "sub");
            check(claims.path("aud").asText().equals(server.uri("/oauth/token").toString()),
                    "aud");
            check(claims.path("exp").asLong() > now && claims.path("exp").asLong() <= now + 300,
                    "exp");
            check(!claims.path("jti").asText().isEmpty(), "jti");
            check("client_credentials".equals(form.get("grant_type")), "grant_type");
            check("system/*.read".equals(form.get("scope")), "scope");
            check(("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .equals(form.get("client_assertion_type")), "client_assertion_type");
            return assertionProblems.isEmpty();
        } catch (Exception e) {
            assertionProblems.add(e.toString());
            return false;
        }
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            assertionProblems.add(what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staticSchemes")
    void read_staticScheme_sendsItsHeaderOnEveryRequest(String name, HttpAuth auth,
            String header, String value) {
        server.route("/static", (request, reply) -> reply.send(200, "application/json",
                "{\"data\":[{\"ok\":true}]}"));

        Reading.all(RestSource.builder().baseUrl(server.uri("/")).http(local(auth))
                .stream(RestStream.builder("s").path("static").recordsAt("/data").build())
                .build());

        assertThat(server.requests("/static")).singleElement()
                .satisfies(r -> assertThat(r.header(header)).hasValue(value));
    }

    static Stream<Arguments> staticSchemes() {
        return Stream.of(
                Arguments.of("bearer", Auth.bearer(Secret.of("abc.def")), "Authorization",
                        "Bearer abc.def"),
                Arguments.of("basic", Auth.basic("ann", Secret.of("pä:ss")), "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(
                                "ann:pä:ss".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("API key", Auth.apiKey("X-API-Key", Secret.of("k-123")),
                        "X-API-Key", "k-123"));
    }

    @Test
    void read_oauthTokenExpiresMidRun_refreshesOnceAndContinues() {
        expireAfterPages = 3;
        OAuth2ClientCredentials oauth = oauth(Clock.systemUTC());
        List<Row> rows;
        String logs;
        try (CapturedLogs captured = CapturedLogs.everythingAtTrace()) {
            rows = read(oauth);
            logs = captured.text();
        }

        assertThat(rows).hasSize(PAGES);
        assertThat(tokensIssued).hasValue(2);
        assertThat(oauth.tokensFetched()).isEqualTo(2);
        assertThat(server.requests("/api/items").stream()
                .filter(r -> r.header("Authorization").orElse("").contains("tok-1"))).hasSize(4);
        assertThat(logs).isNotEmpty().doesNotContain(CLIENT_SECRET).doesNotContain("tok-1")
                .doesNotContain("tok-2").doesNotContain("Zx81Qw");
    }

    @Test
    void read_oauthTokenNearExpiry_isRenewedBeforeTheServerRejectsIt() {
        MutableClock clock = new MutableClock();
        OAuth2ClientCredentials oauth = oauth(clock);
        RestSource source = RestSource.builder().baseUrl(server.uri("/")).http(local(oauth))
                .stream(RestStream.builder("items").path("/api/items").recordsAt("/data")
                        .pagination(Pagination.linkHeader()).build()).batchSize(1).build();

        int rows = 0;
        try (var reader = source.open(source.discover().get(0))) {
            rows += reader.next().orElseThrow().size() + reader.next().orElseThrow().size();
            clock.advance(Duration.ofMinutes(59).plusSeconds(30));
            for (var batch = reader.next(); batch.isPresent(); batch = reader.next()) {
                rows += batch.get().size();
            }
        }

        assertThat(rows).isEqualTo(PAGES);
        assertThat(tokensIssued).hasValue(2);
        assertThat(server.requests("/api/items")).hasSize(PAGES)
                .allSatisfy(r -> assertThat(r.header("Authorization")).isPresent());
    }

    @Test
    void read_tokenEndpointRefusesTheClient_failsNamingTheEndpointNotTheSecret() {
        OAuth2ClientCredentials wrong = OAuth2ClientCredentials.builder()
                .tokenUrl(server.uri("/oauth/token")).clientId("client-7")
                .clientSecret(Secret.of("not-the-secret")).http(local(Auth.none())).build();

        assertThatThrownBy(() -> read(wrong)).isInstanceOf(SourceException.class)
                .hasMessageContaining("POST " + server.uri("/oauth/token"))
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void read_clientSecretInBody_postsIdAndSecretInTheForm() {
        OAuth2ClientCredentials inBody = OAuth2ClientCredentials.builder()
                .tokenUrl(server.uri("/oauth/token")).clientId("client-7")
                .clientSecret(Secret.of(CLIENT_SECRET)).secretInBody(true).scope("read write")
                .http(local(Auth.none())).build();

        assertThatThrownBy(() -> read(inBody)).isInstanceOf(SourceException.class);
        assertThat(tokenForms).singleElement().satisfies(form -> assertThat(form)
                .containsEntry("client_id", "client-7")
                .containsEntry("client_secret", CLIENT_SECRET)
                .containsEntry("scope", "read write"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingKeys")
    void read_smartBackendServices_signsAnAssertionTheServerVerifies(String name,
            KeyPair keys, String pem, String algorithm, @TempDir Path dir) throws Exception {
        clientKey = keys.getPublic();
        Path keyFile = dir.resolve("client-key.pem");
        Files.writeString(keyFile, pem);
        SmartBackendServices smart = SmartBackendServices.builder()
                .tokenUrl(server.uri("/oauth/token")).clientId("client-7")
                .privateKeyFile(keyFile).keyId("key-2026").http(local(Auth.none())).build();

        List<Row> rows;
        String logs;
        try (CapturedLogs captured = CapturedLogs.everythingAtTrace()) {
            rows = read(smart);
            logs = captured.text();
        }

        assertThat(assertionProblems).isEmpty();
        assertThat(rows).hasSize(PAGES);
        assertThat(smart.algorithm()).isEqualTo(algorithm);
        assertThat(logs).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow())
                .doesNotContain("Zx81Qw");
    }

    static Stream<Arguments> signingKeys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair ecKeys = ec.generateKeyPair();
        PrivateKeyInfo rsaInfo = PrivateKeyInfo.getInstance(rsaKeys.getPrivate().getEncoded());
        PrivateKeyInfo ecInfo = PrivateKeyInfo.getInstance(ecKeys.getPrivate().getEncoded());
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(384,
                ((ECPrivateKey) ecKeys.getPrivate()).getS(),
                ecInfo.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        return Stream.of(
                Arguments.of("RSA PKCS#8", rsaKeys, pem("PRIVATE KEY",
                        rsaKeys.getPrivate().getEncoded()), "RS384"),
                Arguments.of("RSA PKCS#1", rsaKeys, pem("RSA PRIVATE KEY",
                        rsaInfo.parsePrivateKey().toASN1Primitive().getEncoded()), "RS384"),
                Arguments.of("EC P-384 PKCS#8", ecKeys, pem("PRIVATE KEY",
                        ecKeys.getPrivate().getEncoded()), "ES384"),
                Arguments.of("EC P-384 SEC1", ecKeys, pem("EC PRIVATE KEY", sec1), "ES384"));
    }

    @Test
    void build_smartWithEcKeyOnP256_isRefused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        var key = ec.generateKeyPair().getPrivate();

        assertThatThrownBy(() -> SmartBackendServices.builder()
                .tokenUrl(URI.create("https://auth.example/token")).clientId("c")
                .privateKey(key).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("P-384");
    }

    @Test
    void build_smartKeyFileWithoutKey_failsWithoutQuotingTheFile(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\nTUlJQ0NlcnQ=\n"
                + "-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> SmartBackendServices.builder().privateKeyFile(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("holds no PEM private key block")
                .hasMessageNotContaining("TUlJ");
    }

    private OAuth2ClientCredentials oauth(Clock clock) {
        return OAuth2ClientCredentials.builder().tokenUrl(server.uri("/oauth/token"))
                .clientId("client-7").clientSecret(Secret.of(CLIENT_SECRET)).clock(clock)
                .http(local(Auth.none())).build();
    }

    private List<Row> read(HttpAuth auth) {
        RestSource source = RestSource.builder().baseUrl(server.uri("/")).http(local(auth))
                .stream(RestStream.builder("items").path("/api/items").recordsAt("/data")
                        .pagination(Pagination.linkHeader()).build()).build();
        return Reading.all(source).get("items");
    }

    private static HttpOptions local(HttpAuth auth) {
        return HttpOptions.builder().allowPlainHttp(true).auth(auth)
                .retryPolicy(RetryPolicy.builder().maxRetries(1)
                        .initialBackoff(Duration.ofMillis(5)).build()).build();
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            String[] parts = pair.split("=", 2);
            form.put(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
        }
        return form;
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** A clock tests move forward by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

}
