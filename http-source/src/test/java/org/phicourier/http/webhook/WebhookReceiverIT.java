package org.phicourier.http.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.RunReport;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.http.Reading;
import org.phicourier.http.Secret;
import org.phicourier.http.StateRuns;
import org.phicourier.model.Row;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.testing.CapturedLogs;

class WebhookReceiverIT {
    private static final byte[] MASTER_KEY = new byte[32];

    @TempDir
    Path dir;
    private WebhookSpool spool;
    private WebhookReceiver receiver;
    private URI events;
    private final WebhookPoster poster = new WebhookPoster();

    @BeforeEach
    void start() {
        new SecureRandom().nextBytes(MASTER_KEY);
        spool = WebhookSpool.open(dir.resolve("spool"), LocalAesKeyring.of(MASTER_KEY),
                Duration.ofMinutes(10));
        receiver = WebhookReceiver.builder().spool(spool)
                .signingSecret(Secret.of(WebhookPoster.SECRET)).allowPlainHttp(true).build()
                .start();
        events = URI.create("http://127.0.0.1:" + receiver.address().getPort() + "/events");
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void post_signedEvent_isAcknowledgedAndHeldEncrypted() throws Exception {
        int status = poster.post(events, WebhookPoster.Signed.event(1));

        assertThat(status).isEqualTo(200);
        assertThat(receiver.stats().accepted()).isEqualTo(1);
        List<Path> files = spoolFiles();
        assertThat(files).hasSize(1);
        for (Path file : files) {
            String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(raw).doesNotContain("Zebulon").doesNotContain("MRN-77")
                    .doesNotContain("lab-result");
        }
    }

    @Test
    void post_badSignatureOrStaleTimestamp_isRefusedWith401AndCounted() throws Exception {
        WebhookPoster.Signed good = WebhookPoster.Signed.event(2);
        WebhookPoster.Signed wrongSecret = WebhookPoster.Signed.of(3, WebhookPoster.Signed.body(3),
                "another-secret", Instant.now());
        WebhookPoster.Signed stale = WebhookPoster.Signed.of(4, WebhookPoster.Signed.body(4),
                WebhookPoster.SECRET, Instant.now().minus(Duration.ofMinutes(6)));
        WebhookPoster.Signed altered = new WebhookPoster.Signed(5,
                WebhookPoster.Signed.body(6).getBytes(StandardCharsets.UTF_8), good.timestamp(),
                good.signature());
        WebhookPoster.Signed retimed = new WebhookPoster.Signed(2, good.body(),
                good.timestamp() + 1, good.signature());

        try (CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            assertThat(poster.post(events, wrongSecret)).isEqualTo(401);
            assertThat(poster.post(events, altered)).isEqualTo(401);
            assertThat(poster.post(events, retimed)).isEqualTo(401);
            assertThat(poster.post(events, stale)).isEqualTo(401);
            assertThat(logs.text()).doesNotContain("Zebulon").doesNotContain("MRN");
        }

        WebhookStats stats = receiver.stats();
        assertThat(stats.refusedSignature()).isEqualTo(3);
        assertThat(stats.refusedTimestamp()).isEqualTo(1);
        assertThat(stats.accepted()).isZero();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void post_sameEventTwice_isHeldOnce() throws Exception {
        WebhookPoster.Signed event = WebhookPoster.Signed.event(7);

        assertThat(poster.post(events, event)).isEqualTo(200);
        assertThat(poster.post(events, event)).isEqualTo(200);

        assertThat(receiver.stats().accepted()).isEqualTo(1);
        assertThat(receiver.stats().duplicates()).isEqualTo(1);
        assertThat(spoolFiles()).hasSize(1);
    }

    @Test
    void post_malformedRequests_areRefusedAndCounted() throws Exception {
        WebhookPoster.Signed notJson = WebhookPoster.Signed.of(8, "Zebulon, not JSON",
                WebhookPoster.SECRET, Instant.now());
        WebhookPoster.Signed array = WebhookPoster.Signed.of(9, "[1,2]", WebhookPoster.SECRET,
                Instant.now());
        WebhookPoster.Signed large = WebhookPoster.Signed.of(10, "{\"x\":\""
                + "a".repeat(1024 * 1024) + "\"}", WebhookPoster.SECRET, Instant.now());

        assertThat(poster.post(events, notJson)).isEqualTo(400);
        assertThat(poster.post(events, array)).isEqualTo(400);
        assertThat(poster.post(events, WebhookPoster.Signed.event(11), "text/plain"))
                .isEqualTo(415);
        assertThat(poster.post(events, large)).isEqualTo(413);
        assertThat(poster.post(events.resolve("/events/other"), WebhookPoster.Signed.event(12)))
                .isEqualTo(404);

        assertThat(receiver.stats().refusedOther()).isEqualTo(5);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void drain_heldEvents_deliversThemOnceInSequenceOrder() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(poster.post(events, WebhookPoster.Signed.event(100 + i))).isEqualTo(200);
        }
        WebhookSource source = WebhookSource.builder().spool(spool).batchSize(2).build();

        List<Row> rows = Reading.all(source).get("webhook_events");

        assertThat(rows.stream().map(r -> ((JsonNode) r.get(1)).path("seq").asInt()))
                .containsExactly(100, 101, 102, 103, 104);
        assertThat(rows.get(0).get(0).toString()).matches("[0-9a-f]{64}");
        assertThat(((JsonNode) rows.get(0).get(1)).path("value").decimalValue())
                .isEqualByComparingTo("1.50");
    }

    @Test
    void open_fromBookmarkAfterFirstBatch_continuesWithTheNextEvent() throws Exception {
        for (int i = 0; i < 5; i++) {
            poster.post(events, WebhookPoster.Signed.event(200 + i));
        }
        WebhookSource source = WebhookSource.builder().spool(spool).batchSize(2).build();
        StreamDescriptor stream = source.discover().get(0);

        Reading.Resumed first = Reading.resume(source, stream, Optional.empty(), 1);
        Reading.Resumed rest = Reading.resume(source, stream, first.bookmark(), 10);

        assertThat(first.bookmark().orElseThrow().attributes()).containsOnlyKeys("sequence");
        assertThat(rest.rows().stream().map(r -> ((JsonNode) r.get(1)).path("seq").asInt()))
                .containsExactly(202, 203, 204);
        assertThat(spoolFiles()).hasSize(3);
    }

    @Test
    void open_fromBookmarkAtTheEnd_removesTheDeliveredEventsAndReadsNothing() throws Exception {
        for (int i = 0; i < 3; i++) {
            poster.post(events, WebhookPoster.Signed.event(300 + i));
        }
        WebhookSource source = WebhookSource.builder().spool(spool).build();
        StreamDescriptor stream = source.discover().get(0);
        Reading.Resumed all = Reading.resume(source, stream, Optional.empty(), 10);

        Reading.Resumed again = Reading.resume(source, stream, all.bookmark(), 10);

        assertThat(all.rows()).hasSize(3);
        assertThat(again.rows()).isEmpty();
        assertThat(again.bookmark()).isEqualTo(all.bookmark());
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void post_eventAlreadyDelivered_isAcknowledgedButNotHeldAgain() throws Exception {
        WebhookPoster.Signed event = WebhookPoster.Signed.event(20);
        poster.post(events, event);
        WebhookSource source = WebhookSource.builder().spool(spool).build();
        StreamDescriptor stream = source.discover().get(0);
        Reading.Resumed all = Reading.resume(source, stream, Optional.empty(), 10);
        Reading.resume(source, stream, all.bookmark(), 10);

        assertThat(poster.post(events, event)).isEqualTo(200);

        assertThat(receiver.stats().duplicates()).isEqualTo(1);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void post_afterDeliveredEventsWereRemoved_continuesTheSequence() throws Exception {
        poster.post(events, WebhookPoster.Signed.event(400));
        WebhookSource source = WebhookSource.builder().spool(spool).build();
        StreamDescriptor stream = source.discover().get(0);
        Reading.Resumed all = Reading.resume(source, stream, Optional.empty(), 10);
        Reading.resume(source, stream, all.bookmark(), 10);
        receiver.close();
        spool = WebhookSpool.open(dir.resolve("spool"), LocalAesKeyring.of(MASTER_KEY),
                Duration.ofMinutes(10));
        receiver = WebhookReceiver.builder().spool(spool)
                .signingSecret(Secret.of(WebhookPoster.SECRET)).allowPlainHttp(true).build()
                .start();
        events = URI.create("http://127.0.0.1:" + receiver.address().getPort() + "/events");

        poster.post(events, WebhookPoster.Signed.event(401));
        Reading.Resumed next = Reading.resume(WebhookSource.builder().spool(spool).build(),
                stream, all.bookmark(), 10);

        assertThat(next.rows().stream().map(r -> ((JsonNode) r.get(1)).path("seq").asInt()))
                .containsExactly(401);
    }

    @Test
    void run_withState_deliversEachEventOnceOverRuns() throws Exception {
        for (int i = 0; i < 4; i++) {
            poster.post(events, WebhookPoster.Signed.event(500 + i));
        }
        try (StateRuns runs = new StateRuns(dir.resolve("state.json"))) {
            runs.run(WebhookSource.builder().spool(spool).batchSize(2).build());
            poster.post(events, WebhookPoster.Signed.event(504));
            runs.run(WebhookSource.builder().spool(spool).batchSize(2).build());
            RunReport third = runs.run(WebhookSource.builder().spool(spool).build());

            assertThat(runs.committedRecords().stream().map(r -> r.path("event").path("seq")
                    .asInt())).containsExactly(500, 501, 502, 503, 504);
            assertThat(third.recordsWritten()).isZero();
            assertThat(spoolFiles()).isEmpty();
        }
    }

    @Test
    void drain_withoutBookmark_deliversTheEventsAgain() throws Exception {
        poster.post(events, WebhookPoster.Signed.event(30));
        WebhookSource source = WebhookSource.builder().spool(spool).build();

        Reading.all(source);

        assertThat(Reading.all(source).get("webhook_events")).hasSize(1);
    }

    @Test
    void drain_alteredSpoolFile_failsTheIntegrityCheck() throws Exception {
        poster.post(events, WebhookPoster.Signed.event(40));
        Path file = spoolFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 1;
        Files.write(file, bytes);
        WebhookSource source = WebhookSource.builder().spool(spool).build();

        assertThatThrownBy(() -> Reading.all(source)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("authentication tag check failed");
    }

    @Test
    void drain_spoolOpenedWithAnotherKey_cannotReadTheEvents() throws Exception {
        poster.post(events, WebhookPoster.Signed.event(41));
        byte[] other = new byte[32];
        WebhookSpool wrongKey = WebhookSpool.open(dir.resolve("spool"), LocalAesKeyring.of(other),
                Duration.ofMinutes(10));

        assertThatThrownBy(() -> Reading.all(WebhookSource.builder().spool(wrongKey).build()))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void build_neitherTlsNorPlainHttpAllowed_isRefused() {
        assertThatThrownBy(() -> WebhookReceiver.builder().spool(spool)
                .signingSecret(Secret.of("x")).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tls(SSLContext)");
    }

    @Test
    void post_overTls_isAcknowledged() throws Exception {
        char[] password = "changeit".toCharArray();
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext",
                "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true)
                .start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(keys);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        try (WebhookReceiver tls = WebhookReceiver.builder().spool(spool).tls(server)
                .signingSecret(Secret.of(WebhookPoster.SECRET)).build().start()) {
            WebhookPoster secure = new WebhookPoster(HttpClient.newBuilder().sslContext(client)
                    .version(HttpClient.Version.HTTP_1_1).build());
            URI uri = URI.create("https://127.0.0.1:" + tls.address().getPort() + "/events");

            assertThat(secure.post(uri, WebhookPoster.Signed.event(50))).isEqualTo(200);
            assertThat(tls.stats().accepted()).isEqualTo(1);
        }
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool.directory().resolve("ready"))) {
            return files.toList();
        }
    }
}
