package org.phicourier.http.state;

import java.util.Optional;
import org.phicourier.ConfigurationException;

/**
 * Keeps the bookmarks of incremental reads between runs, by name. Names are made by the sources
 * from resource types, export levels and hashes of their settings, never from search values.
 *
 * <p>A source saves a bookmark only when its caller confirms that the run succeeded (see
 * {@link CommittableSource#commitProgress()}), after every record the bookmark covers is stored.
 * Implementations are thread-safe, and a save replaces the previous bookmark of a name all at
 * once or not at all.
 */
public interface BookmarkStore {
    /**
     * Loads a bookmark.
     *
     * @param name the bookmark name
     * @return the bookmark, when one was saved
     * @throws ConfigurationException when the store is unreadable or malformed
     */
    Optional<Bookmark> load(String name);

    /**
     * Saves a bookmark, replacing any of the same name.
     *
     * @param name the bookmark name
     * @param bookmark the bookmark
     * @throws ConfigurationException when the store cannot be written
     */
    void save(String name, Bookmark bookmark);

    /**
     * Checks a bookmark name: 1 to 200 ASCII letters, digits and {@code . _ : / -}.
     *
     * @param name the name
     * @return the name
     * @throws ConfigurationException when it is not allowed
     */
    static String checkName(String name) {
        if (name == null || !BookmarkNames.ALLOWED.matcher(name).matches()) {
            throw new ConfigurationException("bookmark name '" + name + "' is not allowed");
        }
        return name;
    }
}
