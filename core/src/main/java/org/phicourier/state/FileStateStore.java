package org.phicourier.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.phicourier.ConfigurationException;
import org.phicourier.SinkException;
import org.phicourier.StateConflictException;

/**
 * Keeps the state in a local file, replaced atomically: the new document is written to a
 * temporary file beside it, forced to disk, and renamed over the old one, so a crash at any
 * moment leaves either the old or the new document.
 *
 * <p>The version of a document is its SHA-256 digest. A write holds an exclusive lock on
 * {@code <file>.lock} (and a lock within this JVM) while it compares the stored version with the
 * expected one and renames, so two processes on the same machine cannot both replace the same
 * version. The lock is advisory and local: do not share the file between machines (use an S3
 * state store there). Files are created readable by their owner only where the file system
 * supports POSIX permissions. Instances are immutable and thread-safe.
 */
public final class FileStateStore implements StateStore {
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;

    private FileStateStore(Path file) {
        this.file = file;
    }

    /**
     * Creates a store over a file; the file need not exist yet, but its folder must.
     *
     * @param file the state file, such as {@code state/ehr-export.json}
     * @return the store
     */
    public static FileStateStore of(Path file) {
        return new FileStateStore(Objects.requireNonNull(file, "file").toAbsolutePath()
                .normalize());
    }

    @Override
    public Optional<StoredState> read() {
        try {
            byte[] document = Files.readAllBytes(file);
            return Optional.of(StoredState.of(document, digest(document)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConfigurationException("state file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String write(byte[] document, Optional<String> expectedVersion) {
        ReentrantLock local = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try (FileChannel lockFile = FileChannel.open(lockPath(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = lockFile.lock();
            try {
                checkVersion(expectedVersion);
                replace(document);
                return digest(document);
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new SinkException("state file " + file + " cannot be written ("
                    + e.getClass().getSimpleName() + ")", e);
        } finally {
            local.unlock();
        }
    }

    private void checkVersion(Optional<String> expected) {
        Optional<String> stored = read().map(StoredState::version);
        if (!stored.equals(expected)) {
            throw new StateConflictException("state file " + file + " was changed by another run"
                    + " (expected " + expected.orElse("no state") + ", found "
                    + stored.orElse("no state") + ")");
        }
    }

    private void replace(byte[] document) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                restrictToOwner(temporary);
                ByteBuffer buffer = ByteBuffer.wrap(document);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            move(temporary);
            forceFolder();
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void move(Path temporary) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new ConfigurationException("state file " + file + ": its file system cannot"
                    + " replace files atomically; keep the state on a local disk");
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder for this. */
    private void forceFolder() {
        try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
    }

    private static void restrictToOwner(Path path) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private Path lockPath() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    private static String digest(byte[] document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "FileStateStore[" + file + "]";
    }
}
