package org.phicourier.http.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.phicourier.ConfigurationException;

/**
 * Keeps bookmarks in one local JSON file. A save writes a complete new file beside the old one,
 * forces it to disk and renames it over the old one atomically, then forces the directory, so a
 * crash leaves either the old or the new file, never a torn one. Saves from several processes are
 * serialised by a lock file ({@code <file>.lock}).
 *
 * <p>The file holds bookmark names and timestamps only. Instances are thread-safe.
 */
public final class FileBookmarkStore implements BookmarkStore {
    static final String FORMAT = "phi-courier-bookmarks/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private FileBookmarkStore(Path file) {
        this.file = file;
    }

    /**
     * Uses a bookmark file; it is created on the first save, with its directory.
     *
     * @param file the file
     * @return the store
     */
    public static FileBookmarkStore at(Path file) {
        return new FileBookmarkStore(Objects.requireNonNull(file, "file").toAbsolutePath());
    }

    @Override
    public synchronized Optional<Bookmark> load(String name) {
        return Optional.ofNullable(readAll().get(BookmarkStore.checkName(name)));
    }

    @Override
    public synchronized void save(String name, Bookmark bookmark) {
        BookmarkStore.checkName(name);
        Objects.requireNonNull(bookmark, "bookmark");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lock = FileChannel.open(lockFile(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock held = lock.lock();
                Map<String, Bookmark> all = readAll();
                all.put(name, bookmark);
                replace(render(all));
                held.release();
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot save bookmark '" + name + "' to " + file
                    + " (" + e.getClass().getName() + ")");
        }
    }

    private Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    private Map<String, Bookmark> readAll() {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return parse(JSON.readTree(file.toFile()));
        } catch (IOException | DateTimeParseException e) {
            throw new ConfigurationException("bookmark file " + file + " is unreadable or not"
                    + " in the format " + FORMAT);
        }
    }

    private Map<String, Bookmark> parse(JsonNode root) {
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new ConfigurationException("bookmark file " + file + " is not in the format "
                    + FORMAT);
        }
        Map<String, Bookmark> all = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("bookmarks").properties()) {
            JsonNode value = entry.getValue();
            all.put(entry.getKey(), Bookmark.of(OffsetDateTime.parse(text(value, "serverTime")),
                    Instant.parse(text(value, "savedAt"))));
        }
        return all;
    }

    private String text(JsonNode bookmark, String property) {
        JsonNode value = bookmark.path(property);
        if (!value.isTextual()) {
            throw new ConfigurationException("bookmark file " + file + " has a bookmark without"
                    + " " + property);
        }
        return value.textValue();
    }

    private static byte[] render(Map<String, Bookmark> all) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
        ObjectNode bookmarks = root.putObject("bookmarks");
        all.forEach((name, bookmark) -> bookmarks.putObject(name)
                .put("serverTime", bookmark.serverTimeText())
                .put("savedAt", bookmark.savedAt().toString()));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    private void replace(byte[] content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID()
                + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE); OutputStream out =
                    java.nio.channels.Channels.newOutputStream(channel)) {
                out.write(content);
                out.flush();
                channel.force(true);
            }
            move(temp);
            forceDirectory(file.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot replace files atomically", e);
        }
    }

    /**
     * Forces a directory's entries to disk, so that a rename survives a crash; a no-op where the
     * platform cannot open directories.
     *
     * @param directory the directory
     */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename is still atomic.
        }
    }

    @Override
    public String toString() {
        return "FileBookmarkStore[" + file + "]";
    }
}
