package org.phicourier.deid;

import java.util.Locale;

/**
 * A pattern over dotted field paths, ignoring case: {@code *} matches one segment, {@code **}
 * any number of segments (none included). Array levels do not appear in paths, so
 * {@code resource.name.family} covers every name's family. Immutable and thread-safe.
 */
final class Glob {
    private final String text;
    private final String[] segments;

    private Glob(String text) {
        this.text = text;
        this.segments = text.toLowerCase(Locale.ROOT).split("\\.", -1);
    }

    static Glob of(String text) {
        return new Glob(text.strip());
    }

    boolean matches(String[] path) {
        return match(0, path, 0);
    }

    private boolean match(int s, String[] path, int p) {
        if (s == segments.length) {
            return p == path.length;
        }
        if (segments[s].equals("**")) {
            for (int skip = p; skip <= path.length; skip++) {
                if (match(s + 1, path, skip)) {
                    return true;
                }
            }
            return false;
        }
        if (p == path.length) {
            return false;
        }
        boolean here = segments[s].equals("*") || segments[s].equals(path[p]);
        return here && match(s + 1, path, p + 1);
    }

    /** Tells whether the pattern names a path literally, without wildcards. */
    boolean literal() {
        return !text.contains("*");
    }

    @Override
    public String toString() {
        return text;
    }
}
