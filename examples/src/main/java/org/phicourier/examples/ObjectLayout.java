package org.phicourier.examples;

import java.util.Locale;
import java.util.Set;
import org.phicourier.s3.Compression;
import org.phicourier.s3.ObjectFormat;
import org.phicourier.s3.S3Sink;
import org.phicourier.s3.parquet.ParquetFormat;
import org.phicourier.s3.spi.RecordFormat;

/**
 * The flags that shape the objects {@code jdbc-to-s3} writes: {@code --format},
 * {@code --compression}, {@code --key-template}, {@code --max-object-bytes} and the switch
 * {@code --allow-field-values-in-keys}. With {@code --format parquet} the compression is
 * {@code none} by default (Parquet compresses its pages with Snappy) and any other is refused
 * (exit 2), so that the decrypted object is a Parquet file as it stands.
 */
final class ObjectLayout {
    static final String FORMAT = "--format";
    static final String COMPRESSION = "--compression";
    static final String KEY_TEMPLATE = "--key-template";
    static final String MAX_OBJECT_BYTES = "--max-object-bytes";
    static final String ALLOW_FIELD_VALUES = "--allow-field-values-in-keys";
    static final Set<String> VALUES = Set.of(FORMAT, COMPRESSION, KEY_TEMPLATE,
            MAX_OBJECT_BYTES);
    static final String USAGE = " [--format jsonl|csv|parquet] [--compression gzip|zstd|none]"
            + " [--key-template T [--allow-field-values-in-keys]] [--max-object-bytes N]";

    private ObjectLayout() {
    }

    /** Applies the flags to a sink builder; fails with a usage error on a bad value. */
    static void apply(String command, CommandLine line, S3Sink.Builder sink) {
        line.value(FORMAT).map(name -> format(command, name)).ifPresent(sink::format);
        line.value(COMPRESSION).map(name -> compression(command, name))
                .ifPresent(sink::compression);
        line.value(KEY_TEMPLATE).ifPresent(sink::keyTemplate);
        line.positiveLong(MAX_OBJECT_BYTES).ifPresent(sink::maxBytesPerObject);
        sink.allowFieldValuesInKeys(line.has(ALLOW_FIELD_VALUES));
        if (line.has(ALLOW_FIELD_VALUES) && !line.has(KEY_TEMPLATE)) {
            throw new UsageException(command + ": " + ALLOW_FIELD_VALUES + " needs "
                    + KEY_TEMPLATE);
        }
    }

    private static RecordFormat format(String command, String name) {
        return switch (name) {
            case "jsonl" -> ObjectFormat.JSONL;
            case "csv" -> ObjectFormat.CSV;
            case "parquet" -> ParquetFormat.create();
            default -> throw new UsageException(command + ": " + FORMAT
                    + " must be jsonl, csv or parquet, not '" + name + "'");
        };
    }

    private static Compression compression(String command, String name) {
        for (Compression compression : Compression.values()) {
            if (compression.label().equals(name.toLowerCase(Locale.ROOT))) {
                return compression;
            }
        }
        throw new UsageException(command + ": " + COMPRESSION
                + " must be gzip, zstd or none, not '" + name + "'");
    }
}
