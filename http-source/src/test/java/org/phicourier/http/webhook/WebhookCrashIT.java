package org.phicourier.http.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.s3.RecordReader;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3Sink;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * 1,000 signed events posted concurrently to a receiver in a child JVM that is killed with
 * {@code kill -9} midway and restarted on the same spool; the sender resends what was not
 * acknowledged, and the spool is drained into S3. Every event must reach S3 exactly once, and the
 * spool must never hold plaintext.
 */
class WebhookCrashIT {
    private static final int EVENTS = 1000;
    private static final int KILL_AFTER_ACKS = 300;

    @TempDir
    Path dir;

    @Test
    void receiverKilledMidway_everyAcknowledgedEventReachesS3ExactlyOnce() throws Exception {
        S3Emulator emulator = TestServices.emulator();
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        Path keyFile = Files.writeString(dir.resolve("master.key"),
                Base64.getEncoder().encodeToString(masterKey));
        Path secretFile = Files.writeString(dir.resolve("secret"), WebhookPoster.SECRET);
        Path spoolDir = dir.resolve("spool");
        List<WebhookPoster.Signed> events = IntStream.range(0, EVENTS)
                .mapToObj(WebhookPoster.Signed::event).toList();

        Process first = startReceiver(spoolDir, keyFile, secretFile, "first");
        Set<Integer> ackedBeforeKill = postAll(port(first, "first"), events, first);
        assertThat(first.isAlive()).isFalse();
        assertThat(ackedBeforeKill.size()).isBetween(KILL_AFTER_ACKS, EVENTS - 1);

        Process second = startReceiver(spoolDir, keyFile, secretFile, "second");
        List<WebhookPoster.Signed> unacked = events.stream()
                .filter(e -> !ackedBeforeKill.contains(e.seq())).toList();
        Set<Integer> ackedAfterRestart = postAll(port(second, "second"), unacked, null);
        second.destroy();
        second.waitFor();
        assertThat(ackedAfterRestart).hasSize(unacked.size());
        assertNoPlaintext(spoolDir);

        Map<Integer, Integer> inS3 = drainToS3(emulator, spoolDir, masterKey);

        assertThat(inS3).hasSize(EVENTS);
        assertThat(inS3.values()).containsOnly(1);
        try (Stream<Path> left = Files.list(spoolDir.resolve("ready"))) {
            assertThat(left).isEmpty();
        }
    }

    private Process startReceiver(Path spool, Path key, Path secret, String name)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=phi-courier-test-logback.xml",
                WebhookReceiverProcess.class.getName(), spool.toString(), key.toString(),
                secret.toString(), dir.resolve(name + ".port").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    private int port(Process process, String name) throws Exception {
        Path portFile = dir.resolve(name + ".port");
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.exists(portFile)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("the receiver did not start: "
                        + Files.readString(dir.resolve(name + ".log")));
            }
            Thread.sleep(50);
        }
        return Integer.parseInt(Files.readString(portFile).strip());
    }

    /** Posts events from 32 threads; kills the receiver by pid after enough acknowledgements. */
    private Set<Integer> postAll(int port, List<WebhookPoster.Signed> events, Process victim)
            throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/events");
        WebhookPoster poster = new WebhookPoster();
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        ExecutorService senders = Executors.newFixedThreadPool(32);
        List<Future<?>> sent = new ArrayList<>();
        for (WebhookPoster.Signed event : events) {
            sent.add(senders.submit(() -> {
                try {
                    if (poster.post(uri, event) == 200) {
                        acked.add(event.seq());
                    }
                } catch (IOException e) {
                    // Not acknowledged: the receiver died; the event is sent again later.
                }
                if (victim != null && acked.size() >= KILL_AFTER_ACKS) {
                    kill(victim);
                }
                return null;
            }));
        }
        for (Future<?> each : sent) {
            each.get();
        }
        senders.shutdown();
        return Set.copyOf(acked);
    }

    private static synchronized void kill(Process victim) throws Exception {
        if (victim.isAlive()) {
            new ProcessBuilder("kill", "-9", Long.toString(victim.pid())).start().waitFor();
            victim.waitFor();
        }
    }

    private static void assertNoPlaintext(Path spoolDir) throws IOException {
        try (Stream<Path> files = Files.walk(spoolDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(raw).as(file.toString()).doesNotContain("Zebulon")
                        .doesNotContain("MRN-77").doesNotContain("lab-result");
            }
        }
    }

    private static Map<Integer, Integer> drainToS3(S3Emulator emulator, Path spoolDir,
            byte[] masterKey) throws Exception {
        LocalAesKeyring keyring = LocalAesKeyring.of(masterKey);
        String bucket = emulator.createBucket("webhooks");
        Map<Integer, Integer> seen = new HashMap<>();
        try (S3Client s3 = emulator.s3Client()) {
            WebhookSource source = WebhookSource.builder().spool(WebhookSpool.open(spoolDir,
                    keyring, Duration.ofMinutes(10))).build();
            RunReport report = Pipeline.from(source).to(S3Sink.builder().s3Client(s3)
                    .bucket(bucket).prefix("events").keyring(keyring).allowPlainHttp(true)
                    .build()).build().run();
            source.commitProgress();
            assertThat(report.recordsWritten()).isEqualTo(EVENTS);

            S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                    .allowPlainHttp(true).build();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                try (RecordReader records = reader.readRecords(bucket, object.key())) {
                    while (records.hasNext()) {
                        ObjectNode record = records.next();
                        seen.merge(record.path("event").path("seq").asInt(), 1, Integer::sum);
                    }
                }
            }
        }
        return seen;
    }
}
