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
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
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
 * <p>An event is written to {@code tmp/}, forced to disk, renamed into {@code ready/} and the
 * directory forced, before its sender is acknowledged; a crash at any point leaves either a
 * complete event in {@code ready/} or a leftover in {@code tmp/} that was never acknowledged and
 * is removed when the spool is opened again. Events are named by their event id, so a repeated
 * delivery is held once. After an event has been drained into the pipeline and the run
 * committed, its file is replaced by an empty marker in {@code delivered/}, kept for a retention
 * period so that a replayed delivery is not taken again.
 *
 * <p>Instances are thread-safe; several receivers and one draining source may share a spool.
 */
public final class WebhookSpool {
    static final String CONTEXT_EVENT = "phi-courier:spool-event";
    private static final byte[] MAGIC = "PHISPOOL".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Keyring keyring;
    private final Duration retention;

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
                createPrivate(spool.directory.resolve(sub));
            }
            spool.clean("tmp", Instant.MAX);
            spool.clean("delivered", Instant.now().minus(retention));
        } catch (IOException e) {
            throw new ConfigurationException("cannot prepare webhook spool " + spool.directory
                    + " (" + e.getClass().getName() + ")");
        }
        keyring.verify();
        return spool;
    }

    private static void createPrivate(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its default permissions apply.
        }
    }

    private void clean(String sub, Instant olderThan) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.resolve(sub))) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(olderThan)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Holds an event durably, unless an event of that id is already held or was delivered.
     *
     * @param eventId the event id, hex digits
     * @param body the event's bytes
     * @return true when newly held, false when it was a repeated delivery
     * @throws IOException when it could not be written and forced to disk; nothing is held then
     */
    boolean hold(String eventId, byte[] body) throws IOException {
        Path target = ready(eventId);
        if (Files.exists(target) || Files.exists(marker(eventId))) {
            return false;
        }
        Path temp = directory.resolve("tmp").resolve(eventId + "." + UUID.randomUUID() + ".part");
        try {
            write(temp, eventId, body);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            force(directory.resolve("ready"));
            return true;
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
                StandardOpenOption.WRITE), ownerOnly()); OutputStream raw =
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

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))};
    }

    private static void force(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the rename itself is atomic.
        }
    }

    /**
     * Lists held events, oldest first, at most a number of them.
     *
     * @param limit the most to list
     * @return the event files
     * @throws IOException when the directory cannot be listed
     */
    List<Path> held(int limit) throws IOException {
        List<Path> files = new ArrayList<>();
        Map<Path, FileTime> times = new HashMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory.resolve("ready"),
                "*.event")) {
            for (Path file : stream) {
                files.add(file);
                times.put(file, Files.getLastModifiedTime(file));
            }
        }
        files.sort(Comparator.comparing((Path f) -> times.get(f)).thenComparing(Path::toString));
        return files.size() > limit ? new ArrayList<>(files.subList(0, limit)) : files;
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
     * Marks a drained event as delivered: writes its marker, then removes its file.
     *
     * @param eventId the event id
     * @throws IOException when the marker or removal fails
     */
    void markDelivered(String eventId) throws IOException {
        Path marker = marker(eventId);
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
        force(directory.resolve("delivered"));
        Files.deleteIfExists(ready(eventId));
        force(directory.resolve("ready"));
    }

    /**
     * Removes delivery markers older than the retention period.
     *
     * @throws IOException when the directory cannot be listed
     */
    void expireMarkers() throws IOException {
        clean("delivered", Instant.now().minus(retention));
    }

    private Path ready(String eventId) {
        return directory.resolve("ready").resolve(eventId + ".event");
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
