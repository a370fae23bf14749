package org.phicourier.s3;

/**
 * How an {@link S3Sink} compresses an object's encoded records. Compression always happens
 * before encryption (ciphertext does not compress), inside the process.
 */
public enum Compression {
    /** Gzip (RFC 1952); names end in {@code .gz}; levels 1 to 9, 1 by default. The default. */
    GZIP("gzip", ".gz", 1, 9, 1),
    /**
     * Zstandard (RFC 8878), through the reference library; names end in {@code .zst}; levels 1
     * to 19, 3 by default. Faster than gzip at a better ratio (see the benchmarks README).
     */
    ZSTD("zstd", ".zst", 1, 19, 3),
    /** No compression; names get no suffix. The level is ignored. */
    NONE("none", "", 0, 0, 0);

    private final String label;
    private final String suffix;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    Compression(String label, String suffix, int minLevel, int maxLevel, int defaultLevel) {
        this.label = label;
        this.suffix = suffix;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /**
     * Returns the name this compression has in the {@code phi-courier-content} metadata entry.
     *
     * @return {@code gzip}, {@code zstd} or {@code none}
     */
    public String label() {
        return label;
    }

    /**
     * Returns what object names end with after the format's extension.
     *
     * @return {@code .gz}, {@code .zst} or the empty string
     */
    public String suffix() {
        return suffix;
    }

    /**
     * Returns the level used when none is set.
     *
     * @return the default level; 0 for {@link #NONE}
     */
    public int defaultLevel() {
        return defaultLevel;
    }

    /**
     * Tells whether a level is valid for this compression.
     *
     * @param level the level
     * @return true when it lies in the accepted range; always true for {@link #NONE}
     */
    public boolean accepts(int level) {
        return this == NONE || level >= minLevel && level <= maxLevel;
    }

    /**
     * Returns the range of levels, for messages.
     *
     * @return for example {@code 1 to 9}
     */
    String range() {
        return minLevel + " to " + maxLevel;
    }
}
