package org.phicourier.deid;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.ContentCipher;
import org.phicourier.crypto.internal.EnvelopeDecryption;
import org.phicourier.crypto.internal.EnvelopeEncryption;

/**
 * Keeps quarantined records in a local directory, each record in its own file, encrypted with
 * the same envelope as the objects in S3 (a fresh data key per file wrapped by the
 * {@link Keyring}, key-committing AES-256-GCM). Plaintext never reaches the disk: a record is
 * encrypted in memory and the file appears by an atomic rename, complete or not at all.
 *
 * <p>File layout: {@code <dir>/<stream>/<position>-<random>.jsonl.enc}, holding one line of JSON
 * with the envelope metadata (no PHI), then the ciphertext. {@link #read} decrypts a file for
 * review. Thread-safe.
 */
public final class EncryptedDirectoryQuarantine implements Quarantine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CONTEXT_STREAM = "phi-courier:quarantine-stream";

    private final Path directory;
    private final Keyring keyring;

    private EncryptedDirectoryQuarantine(Path directory, Keyring keyring) {
        this.directory = directory;
        this.keyring = keyring;
    }

    /**
     * Creates a quarantine in a directory, which is created when missing.
     *
     * @param directory where the files go
     * @param keyring wraps each file's data key
     * @return the quarantine
     */
    public static EncryptedDirectoryQuarantine of(Path directory, Keyring keyring) {
        return new EncryptedDirectoryQuarantine(Objects.requireNonNull(directory, "directory"),
                Objects.requireNonNull(keyring, "keyring"));
    }

    @Override
    public void put(QuarantinedRecord record) {
        byte[] plaintext = QuarantineRows.jsonLines(List.of(record));
        Map<String, String> context = Map.of(CONTEXT_STREAM, record.stream());
        EnvelopeEncryption envelope = EnvelopeEncryption.begin(keyring, context);
        try {
            byte[] ciphertext = envelope.cipher().doFinal(plaintext);
            java.util.Arrays.fill(plaintext, (byte) 0);
            write(record, new TreeMap<>(envelope.metadata()), ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private void write(QuarantinedRecord record, Map<String, String> metadata, byte[] body) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        Path folder = directory.resolve(record.stream());
        Path file = folder.resolve(record.position() + "-" + HexFormat.of().formatHex(random)
                + ".jsonl.enc");
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".quarantine-", ".part");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                out.write(JSON.writeValueAsBytes(metadata));
                out.write('\n');
                out.write(body);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SinkException("stream '" + record.stream() + "', row " + record.position()
                    + ": cannot write the quarantine file in " + folder);
        }
    }

    /**
     * Decrypts one quarantine file for authorised review.
     *
     * @param file a file this quarantine wrote
     * @param keyring the keyring that wrapped its data key
     * @param stream the stream it was quarantined from (its folder name)
     * @return the record as one line of JSON: stream, position, field, reason and the record
     * @throws IntegrityException when the file is altered or the key is wrong
     */
    public static String read(Path file, Keyring keyring, String stream) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] all = in.readAllBytes();
            int newline = indexOf(all, (byte) '\n');
            @SuppressWarnings("unchecked")
            Map<String, String> metadata = JSON.readValue(java.util.Arrays.copyOf(all, newline),
                    Map.class);
            EnvelopeDecryption decryption = EnvelopeDecryption.open(file.getFileName().toString(),
                    metadata, keyring, Map.of(CONTEXT_STREAM, stream));
            ContentCipher cipher = decryption.newCipher();
            int length = all.length - newline - 1;
            byte[] out = new byte[cipher.updateOutputSize(length) + 32];
            int n = cipher.update(all, newline + 1, length, out, 0);
            n += cipher.doFinal(out, n);
            decryption.destroy();
            return new String(out, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IntegrityException("quarantine file " + file.getFileName()
                    + " cannot be read");
        } catch (GeneralSecurityException e) {
            throw new IntegrityException("quarantine file " + file.getFileName()
                    + " failed authentication");
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IntegrityException("quarantine file has no envelope header");
    }

    @Override
    public String toString() {
        return "EncryptedDirectoryQuarantine[" + directory + ", " + keyring.keyId() + "]";
    }
}
