package org.phicourier.s3.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The page compression inside a Parquet object. Each works in pure Java or through the native
 * library bundled in its jar; none needs native Hadoop.
 */
public enum ParquetCodec {
    /** Snappy: fast, a moderate ratio; the default and what most Parquet readers expect. */
    SNAPPY(CompressionCodecName.SNAPPY),
    /** Zstandard: a better ratio than Snappy at a little more CPU. */
    ZSTD(CompressionCodecName.ZSTD),
    /** Gzip: the best supported by old readers, and the slowest. */
    GZIP(CompressionCodecName.GZIP),
    /** No page compression. */
    UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED);

    private final CompressionCodecName name;

    ParquetCodec(CompressionCodecName name) {
        this.name = name;
    }

    CompressionCodecName codecName() {
        return name;
    }
}
