package org.phicourier.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;

/**
 * Keeps the audit trail in a local file of JSON Lines, one canonical event per line. The file is
 * only ever appended to, and each event is forced to the disk before the run goes on, so an event
 * the run went past survives a crash. The chain continues across runs.
 *
 * <p>The file holds no record value (events carry counts, names, ids and keys only), so it is not
 * encrypted; protect it against change with the file system or by shipping it to an append-only
 * store. Instances are thread-safe within one process; two processes must not share a file.
 */
public final class FileAuditSink implements AuditSink {
    private final Path file;

    private FileAuditSink(Path file) {
        this.file = file;
    }

    /**
     * Creates a sink for a file, which is created on the first event.
     *
     * @param file the JSON Lines file
     * @return the sink
     */
    public static FileAuditSink of(Path file) {
        return new FileAuditSink(Objects.requireNonNull(file, "file"));
    }

    @Override
    public synchronized Optional<AuditEvent> last() {
        List<AuditVerifier.Entry> entries = entries();
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        AuditVerifier.Entry last = entries.get(entries.size() - 1);
        try {
            return Optional.of(AuditEvent.fromJson(last.json()));
        } catch (IntegrityException e) {
            throw new IntegrityException("audit file " + file + ": the last event, "
                    + last.location() + ", cannot be read; verify the trail", e);
        }
    }

    @Override
    public synchronized void append(AuditEvent event) {
        byte[] line = (event.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new SinkException("audit file " + file + ": cannot append event "
                    + event.sequence() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Reads every stored line, for verification.
     *
     * @return the lines, each named by its line number
     * @throws SinkException when the file cannot be read
     */
    public synchronized List<AuditVerifier.Entry> entries() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SinkException("audit file " + file + ": cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        List<AuditVerifier.Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            entries.add(new AuditVerifier.Entry("line " + (i + 1), lines.get(i)));
        }
        return entries;
    }

    /**
     * Verifies the chain in the file.
     *
     * @return the outcome, naming the first bad event if any
     */
    public AuditVerification verify() {
        return AuditVerifier.verify(entries());
    }

    @Override
    public String toString() {
        return "FileAuditSink[" + file + "]";
    }
}
