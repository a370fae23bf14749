package org.phicourier.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * Where a read stands: enough for a source to continue exactly after the last record it
 * delivered, or to start the next incremental read after the last complete one.
 *
 * <p>A bookmark has two parts. {@link #attributes()} are short texts the source needs (a read
 * phase, a transaction horizon, a server time); they are stored in plain text and must never hold
 * a record value. {@link #values()} is a row of typed values taken from records, such as the
 * cursor tuple of the last record delivered; a pipeline stores them encrypted, because a cursor
 * value may itself be PHI. Only the source that made a bookmark interprets it.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows attribute and field
 * names only.
 */
public final class Bookmark {
    private static final Row NO_VALUES = Row.of(Schema.of());

    private final Map<String, String> attributes;
    private final Row values;

    private Bookmark(Map<String, String> attributes, Row values) {
        this.attributes = attributes;
        this.values = values;
    }

    /**
     * Creates a bookmark without values.
     *
     * @param attributes plain-text entries, never record values
     * @return the bookmark
     */
    public static Bookmark of(Map<String, String> attributes) {
        return of(attributes, NO_VALUES);
    }

    /**
     * Creates a bookmark.
     *
     * @param attributes plain-text entries, never record values
     * @param values typed values taken from records; stored encrypted
     * @return the bookmark
     */
    public static Bookmark of(Map<String, String> attributes, Row values) {
        return new Bookmark(Map.copyOf(new TreeMap<>(attributes)),
                Objects.requireNonNull(values, "values"));
    }

    /**
     * Returns the plain-text entries.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * Returns one plain-text entry.
     *
     * @param name the entry name
     * @return its value, when present
     */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /**
     * Returns the typed values; a row of no fields when there are none.
     *
     * @return the values
     */
    public Row values() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bookmark && attributes.equals(((Bookmark) other).attributes)
                && values.equals(((Bookmark) other).values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attributes, values);
    }

    /** Shows names only, never values. */
    @Override
    public String toString() {
        return "Bookmark[attributes=" + new TreeMap<>(attributes).keySet() + ", values="
                + values.schema().names() + "]";
    }
}
