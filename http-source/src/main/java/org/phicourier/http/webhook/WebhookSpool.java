package org.phicourier.http.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.DecryptingInputStream;
import org.phicourier.crypto.internal.EnvelopeDecryption;
import org.phicourier.crypto.internal.EnvelopeEncryption;

/**
 * A local directory that holds received webhook events, each in a file of its own, encrypted
 * before it touches the disk with the envelope format of the S3 sink (a fresh AES-256-GCM data
 * key per event, key-committing, wrapped by a {@link Keyring}); no plaintext is ever written.
 *
 * <p>Every held event gets the next number of a sequence that never goes back, and the drain
 * reads events in that order: the last sequence number delivered is the {@link WebhookSource}'s
 * bookmark, saved in the pipeline's state after the objects holding those events are complete.
 * An event is written to {@code tmp/} and forced to disk; then, in sequence order, renamed into
 * {@code ready/} under its number, and the directory forced, before its sender is acknowledged.
 * A crash at any point leaves either a complete event in {@code ready/} or a leftover in
 * {@code tmp/} that was never acknowledged and is removed when the spool is opened again.
 * A repeated delivery of one event id is held once. Events at or below a bookmark the pipeline
 * saved are removed, leaving an empty marker in {@code delivered/} for a retention period so
 * that a replayed delivery is not taken again.
 *
 * <p>Instances are thread-safe. One process receives into a spool at a time; the drain may run
 * in the same process or, while no receiver is running, in another.
 */
public final class WebhookSpool {
    static final String CONTEXT_EVENT = "phi-courier:spool-event";
    private static final byte[] MAGIC = "PHISPOOL".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Keyring keyring;
    private final Duration retention;
    /** Event ids held or being held, each done once durably in ready/. */
    private final Map<String, CompletableFuture<Void>> known = new ConcurrentHashMap<>();
    /** Guards the allocation of sequence numbers together with the rename into ready/. */
    private final Object sequencing = new Object();
    private long lastSequence;

    private WebhookSpool(Path directory, Keyring keyring, Duration retention) {
        this.directory = directory;
        this.keyring = keyring;
        this.retention = retention;
    }

    /**
     * Opens (creating if needed) a spool directory, removes unacknowledged leftovers and expired
     * delivery markers, and checks the keyring.
     *
     * @param directory the spool directory; created readable by the owner only
     * @param keyring wraps the data key of each event
     * @param retention how long delivery markers are kept; at least the receivers' timestamp
     *     tolerance
     * @return the spool
     * @throws ConfigurationException when the directory cannot be prepared or the key is unusable
     */
    public static WebhookSpool open(Path directory, Keyring keyring, Duration retention) {
        Objects.requireNonNull(keyring, "keyring");
        WebhookSpool spool = new WebhookSpool(directory.toAbsolutePath(), keyring,
                Objects.requireNonNull(retention, "retention"));
        try {
            for (String sub : new String[] {"tmp", "ready", "delivered"}) {
                SpoolFiles.createPrivate(spool.directory.resolve(sub));
            }
            SpoolFiles.clean(spool.directory.resolve("tmp"), Instant.MAX);
            SpoolFiles.clean(spool.directory.resolve("delivered"), Instant.now().minus(retention));
            spool.recover();
        } catch (IOException e) {
            throw new ConfigurationException("cannot prepare webhook spool " + spool.directory
                    + " (" + e.getClass().getName() + ")");
        }
        keyring.verify();
        return spool;
    }

    /** Takes up the sequence and the held event ids where the last process left them. */
    private void recover() throws IOException {
        long last = SpoolFiles.readFloor(floorFile());
        for (SpoolFiles.Entry entry : SpoolFiles.list(directory.resolve("ready"))) {
            last = Math.max(last, entry.sequence());
            known.put(entry.eventId(), CompletableFuture.completedFuture(null));
        }
        lastSequence = last;
    }

    /**
     * Holds an event durably, unless an event of that id is already held or was delivered. A
     * repeated delivery that arrives while the first is being written waits for it.
     *
     * @param eventId the event id, hex digits
     * @param body the event's bytes
     * @return true when newly held, false when it was a repeated delivery
     * @throws IOException when it could not be written and forced to disk; nothing is held then
     */
    boolean hold(String eventId, byte[] body) throws IOException {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> earlier = known.putIfAbsent(eventId, mine);
        if (earlier != null) {
            awaitEarlier(earlier);
            return false;
        }
        if (Files.exists(marker(eventId))) {
            mine.complete(null);
            return false;
        }
        try {
            holdNew(eventId, body);
            mine.complete(null);
            return true;
        } catch (IOException | RuntimeException e) {
            known.remove(eventId, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static void awaitEarlier(CompletableFuture<Void> earlier) throws IOException {
        try {
            earlier.join();
        } catch (CompletionException e) {
            throw new IOException("the first delivery of this event was not held");
        }
    }

    private void holdNew(String eventId, byte[] body) throws IOException {
        Path temp = directory.resolve("tmp").resolve(eventId + "." + UUID.randomUUID() + ".part");
        try {
            write(temp, eventId, body);
            // Numbers become visible in ready/ in the order they are given, so a drain that has
            // seen number n has seen every number below it.
            synchronized (sequencing) {
                long sequence = lastSequence + 1;
                Files.move(temp, directory.resolve("ready").resolve(
                        SpoolFiles.eventName(sequence, eventId)), StandardCopyOption.ATOMIC_MOVE);
                lastSequence = sequence;
            }
            SpoolFiles.force(directory.resolve("ready"));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void write(Path temp, String eventId, byte[] body) throws IOException {
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(keyring, context(eventId));
        byte[] ciphertext;
        try {
            ciphertext = encryption.cipher().doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IOException("encrypting the event failed", e);
        }
        ObjectNode header = JSON.createObjectNode().put("eventId", eventId);
        encryption.metadata().forEach(header.putObject("envelope")::put);
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), SpoolFiles.ownerOnly()); OutputStream raw =
                Channels.newOutputStream(channel);
                DataOutputStream out = new DataOutputStream(raw)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(headerBytes.length);
            out.write(headerBytes);
            out.write(ciphertext);
            out.flush();
            channel.force(true);
        }
    }

    /**
     * Lists the held events after a sequence number, in sequence order, at most a number of
     * them. Only events whose place in {@code ready/} is already on disk are listed, and no
     * number is left out below the highest one listed.
     *
     * @param sequence the last number already delivered
     * @param limit the most to list
     * @return the entries
     * @throws IOException when the directory cannot be listed
     */
    List<SpoolFiles.Entry> after(long sequence, int limit) throws IOException {
        Path ready = directory.resolve("ready");
        long highest = SpoolFiles.list(ready).stream().mapToLong(SpoolFiles.Entry::sequence)
                .max().orElse(sequence);
        // A listing may miss an entry renamed in while it runs; a second listing started after
        // the first saw the highest number sees every number below it, since they came first.
        SpoolFiles.force(ready);
        return SpoolFiles.list(ready).stream()
                .filter(e -> e.sequence() > sequence && e.sequence() <= highest)
                .sorted(Comparator.comparingLong(SpoolFiles.Entry::sequence))
                .limit(limit).toList();
    }

    /**
     * Reads and decrypts a held event; its authentication tag is verified before any byte is
     * returned.
     *
     * @param file an event file
     * @return the event id and body
     * @throws IntegrityException when the file is not a spool file of this keyring or was altered
     * @throws IOException when it cannot be read
     */
    HeldEvent read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC) || in.readUnsignedByte() != VERSION) {
                throw new IntegrityException("spool file " + file.getFileName()
                        + " is not a webhook spool file of version " + VERSION);
            }
            JsonNode header = JSON.readTree(in.readNBytes(in.readInt()));
            String eventId = header.path("eventId").asText("");
            Map<String, String> metadata = new HashMap<>();
            header.path("envelope").properties().forEach(e -> metadata.put(e.getKey(),
                    e.getValue().asText()));
            return new HeldEvent(eventId, decrypt(file, eventId, metadata, in.readAllBytes()));
        }
    }

    private byte[] decrypt(Path file, String eventId, Map<String, String> metadata,
            byte[] ciphertext) throws IOException {
        String name = "spool file " + file.getFileName();
        EnvelopeDecryption decryption = EnvelopeDecryption.open(name, metadata, keyring,
                context(eventId));
        try (InputStream plaintext = new DecryptingInputStream(
                new ByteArrayInputStream(ciphertext), decryption.newCipher(), name)) {
            return plaintext.readAllBytes();
        } finally {
            decryption.destroy();
        }
    }

    /**
     * Removes the events at or below a sequence number, which the pipeline's state says are in
     * complete objects: raises the sequence floor first, then leaves a delivery marker for each
     * event and removes its file; finally expires old markers.
     *
     * @param sequence the last number delivered
     * @return how many events were removed
     * @throws IOException when the floor, a marker or a removal fails
     */
    int release(long sequence) throws IOException {
        List<SpoolFiles.Entry> done = SpoolFiles.list(directory.resolve("ready")).stream()
                .filter(e -> e.sequence() <= sequence).toList();
        if (sequence > SpoolFiles.readFloor(floorFile())) {
            SpoolFiles.writeFloor(floorFile(), sequence);
        }
        for (SpoolFiles.Entry entry : done) {
            Path marker = marker(entry.eventId());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        }
        SpoolFiles.force(directory.resolve("delivered"));
        for (SpoolFiles.Entry entry : done) {
            // The marker answers repeated deliveries from now on; memory need not keep the id.
            known.remove(entry.eventId());
            Files.deleteIfExists(entry.file());
        }
        SpoolFiles.force(directory.resolve("ready"));
        SpoolFiles.clean(directory.resolve("delivered"), Instant.now().minus(retention));
        return done.size();
    }

    private Path floorFile() {
        return directory.resolve("sequence-floor");
    }

    private Path marker(String eventId) {
        return directory.resolve("delivered").resolve(eventId);
    }

    private static Map<String, String> context(String eventId) {
        return Map.of(CONTEXT_EVENT, eventId);
    }

    /**
     * Returns the spool directory.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    @Override
    public String toString() {
        return "WebhookSpool[" + directory + ", keyring=" + keyring.keyId() + "]";
    }

    /**
     * One decrypted event.
     *
     * @param eventId its id
     * @param body its bytes; never printed
     */
    record HeldEvent(String eventId, byte[] body) {
        @Override
        public String toString() {
            return "HeldEvent[" + eventId + "]";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof HeldEvent && eventId.equals(((HeldEvent) other).eventId);
        }

        @Override
        public int hashCode() {
            return eventId.hashCode();
        }
    }
}
