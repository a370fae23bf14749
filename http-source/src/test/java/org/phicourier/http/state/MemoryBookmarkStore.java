package org.phicourier.http.state;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps bookmarks in memory, for tests that look at what a source saved. */
public final class MemoryBookmarkStore implements BookmarkStore {
    private final Map<String, Bookmark> saved = new ConcurrentHashMap<>();

    @Override
    public Optional<Bookmark> load(String name) {
        return Optional.ofNullable(saved.get(BookmarkStore.checkName(name)));
    }

    @Override
    public void save(String name, Bookmark bookmark) {
        saved.put(BookmarkStore.checkName(name), bookmark);
    }

    /**
     * Returns everything saved.
     *
     * @return bookmarks by name
     */
    public Map<String, Bookmark> all() {
        return Map.copyOf(saved);
    }
}
