package org.phicourier.http.webhook;

import java.io.IOException;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File system steps of the spool: owner-only files and directories, forcing to disk, atomic
 * replacement, and the names of held events ({@code <sequence>-<eventId>.event}, the sequence
 * zero-padded so that names sort by it).
 */
final class SpoolFiles {
    private static final Pattern EVENT_NAME = Pattern.compile("(\\d{19})-([0-9a-f]+)\\.event");

    private SpoolFiles() {
    }

    static String eventName(long sequence, String eventId) {
        return String.format("%019d-%s.event", sequence, eventId);
    }

    /** A held event's place in the spool, parsed from its file name. */
    record Entry(long sequence, String eventId, Path file) {
    }

    /**
     * Lists the held events, in no particular order; files of other names are ignored.
     *
     * @param ready the directory of held events
     * @return the entries
     * @throws IOException when it cannot be listed
     */
    static List<Entry> list(Path ready) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(ready, "*.event")) {
            for (Path file : files) {
                Matcher name = EVENT_NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    entries.add(new Entry(Long.parseLong(name.group(1)), name.group(2), file));
                }
            }
        }
        return entries;
    }

    static void createPrivate(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its default permissions apply.
        }
    }

    static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))};
    }

    /**
     * Forces a directory's entries to disk, so that renames and removals in it survive a crash.
     *
     * @param dir the directory
     */
    static void force(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the rename itself is atomic.
        }
    }

    static void clean(Path dir, Instant olderThan) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(olderThan)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Reads the sequence floor: every sequence at or below it was used before.
     *
     * @param file the floor file
     * @return the floor; 0 when there is none
     * @throws IOException when it exists but cannot be read or parsed
     */
    static long readFloor(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            throw new IOException("the sequence floor is not a number", e);
        }
    }

    /**
     * Replaces the floor file atomically and durably.
     *
     * @param file the floor file
     * @param floor the new floor
     * @throws IOException when it cannot be written
     */
    static void writeFloor(Path file, long floor) throws IOException {
        Path temp = file.resolveSibling("tmp").resolve("floor." + UUID.randomUUID() + ".part");
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly());
                    OutputStream out = Channels.newOutputStream(channel)) {
                out.write(Long.toString(floor).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            force(file.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
