package org.phicourier.http.webhook;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.RunReport;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.s3.RecordReader;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.spi.StoredObject;
import org.phicourier.state.RunManifest;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * 1,000 signed events posted concurrently to a receiver in a child JVM that drains its spool
 * into S3 in a loop (a pipeline with a file state) and is killed with {@code kill -9} midway,
 * while receiving and draining, then restarted on the same spool and state; the sender resends
 * what was not acknowledged. Every event must be in the objects the runs committed exactly once,
 * read back from the emulator, and the spool must never hold plaintext.
 */
class WebhookCrashIT {
    private static final int EVENTS = 1000;
    private static final int KILL_AFTER_ACKS = 300;

    @TempDir
    Path dir;

    @Test
    void receiverKilledWhileDraining_everyAcknowledgedEventReachesS3ExactlyOnce()
            throws Exception {
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("webhooks");
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        Path keyFile = Files.writeString(dir.resolve("master.key"),
                Base64.getEncoder().encodeToString(masterKey));
        Path secretFile = Files.writeString(dir.resolve("secret"), WebhookPoster.SECRET);
        Path spoolDir = dir.resolve("spool");
        Path state = dir.resolve("state.json");
        List<String> args = List.of(spoolDir.toString(), keyFile.toString(),
                secretFile.toString(), emulator.endpoint().toString(), bucket, state.toString());
        List<WebhookPoster.Signed> events = IntStream.range(0, EVENTS)
                .mapToObj(WebhookPoster.Signed::event).toList();

        Process first = startReceiver(args, "first");
        int firstPort = port(first, "first");
        awaitLog("first", "drained 0");
        Set<Integer> ackedBeforeKill = postAll(firstPort, events, first,
                n -> n >= KILL_AFTER_ACKS && awaitMidDrain("first"));
        assertThat(first.isAlive()).isFalse();
        assertThat(ackedBeforeKill.size()).isBetween(KILL_AFTER_ACKS, EVENTS - 1);

        Process second = startReceiver(args, "second");
        List<WebhookPoster.Signed> unacked = events.stream()
                .filter(e -> !ackedBeforeKill.contains(e.seq())).toList();
        Set<Integer> ackedAfterRestart = postAll(port(second, "second"), unacked, second,
                n -> false);
        Thread.sleep(300);
        kill(second);
        assertThat(ackedAfterRestart).hasSize(unacked.size());
        assertNoPlaintext(spoolDir);

        Map<Integer, Integer> inS3 = drainAndReadBack(emulator, bucket, spoolDir, masterKey,
                state);

        assertThat(inS3).hasSize(EVENTS);
        assertThat(inS3.values()).containsOnly(1);
        try (Stream<Path> left = Files.list(spoolDir.resolve("ready"))) {
            assertThat(left).isEmpty();
        }
    }

    private Process startReceiver(List<String> args, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=webhook-crash-logback.xml",
                WebhookReceiverProcess.class.getName()));
        command.addAll(args.subList(0, 3));
        command.add(dir.resolve(name + ".port").toString());
        command.addAll(args.subList(3, args.size()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
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

    /** Waits until the child's output holds a text. */
    private void awaitLog(String name, String text) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.readString(dir.resolve(name + ".log")).contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the child never logged '" + text + "'");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Tells whether the child is in the middle of a drain: its last run has committed an object
     * (and saved the bookmark after it) but has not finished.
     */
    private boolean midDrain(String name) {
        try {
            String log = Files.readString(dir.resolve(name + ".log"));
            int started = log.lastIndexOf(" started at epoch ");
            return started >= 0 && log.indexOf(" committed", started) > 0
                    && log.indexOf(" finished: ", started) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits a little for the child to be in the middle of a drain. Without the wait, on a fast
     * machine every event could be acknowledged before any drain was caught in the middle, and
     * the child was never killed; the wait slows each sender down while events still arrive, so
     * the drains keep committing objects.
     */
    private boolean awaitMidDrain(String name) {
        Instant deadline = Instant.now().plusMillis(200);
        while (Instant.now().isBefore(deadline)) {
            if (midDrain(name)) {
                return true;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * Posts events from 32 threads; kills the receiver by pid once the condition on the number
     * of acknowledgements holds.
     */
    private Set<Integer> postAll(int port, List<WebhookPoster.Signed> events, Process victim,
            IntPredicate killWhen) throws Exception {
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
                if (killWhen.test(acked.size())) {
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

    /**
     * Drains what is left with the same state, twice (the second run removes what the first
     * delivered), then reads every object the runs' manifests list.
     */
    private static Map<Integer, Integer> drainAndReadBack(S3Emulator emulator, String bucket,
            Path spoolDir, byte[] masterKey, Path state) throws Exception {
        LocalAesKeyring keyring = LocalAesKeyring.of(masterKey);
        WebhookSpool spool = WebhookSpool.open(spoolDir, keyring, Duration.ofMinutes(10));
        Map<Integer, Integer> seen = new HashMap<>();
        try (S3Client s3 = emulator.s3Client()) {
            WebhookReceiverProcess.drain(spool, keyring, s3, bucket, state);
            RunReport last = WebhookReceiverProcess.drain(spool, keyring, s3, bucket, state);
            while (last.recordsWritten() > 0) {
                last = WebhookReceiverProcess.drain(spool, keyring, s3, bucket, state);
            }
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                    .allowPlainHttp(true).build();
            for (S3Object manifest : s3.listObjectsV2Paginator(b -> b.bucket(bucket)
                    .prefix("events/_manifests/")).contents()) {
                RunManifest run = RunManifest.fromJson(s3.getObjectAsBytes(b -> b.bucket(bucket)
                        .key(manifest.key())).asUtf8String());
                for (StoredObject object : run.objects()) {
                    try (RecordReader records = reader.readRecords(bucket, object.key())) {
                        records.forEachRemaining(record -> seen.merge(record.path("event")
                                .path("seq").asInt(), 1, Integer::sum));
                    }
                }
            }
        }
        return seen;
    }
}
