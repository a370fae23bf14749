package org.phicourier.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import com.github.luben.zstd.ZstdInputStream;
import org.phicourier.IntegrityException;
import org.phicourier.s3.Compression;
import org.phicourier.s3.ObjectFormat;
import org.phicourier.s3.spi.RecordFormat;

/**
 * An object's plaintext encoding: the record format, the compression and its level. It names the
 * object's suffix and the value of the {@code phi-courier-content} metadata entry
 * ({@code <format>+<compression>}, or the format alone without compression), from which readers
 * learn how to decode.
 *
 * @param format the record format
 * @param compression the compression
 * @param level the compression level
 */
public record ContentEncoding(RecordFormat format, Compression compression, int level) {
    /** The user-metadata entry that tells readers how the plaintext is encoded. */
    public static final String METADATA = "phi-courier-content";
    /** The encoding every object had before formats could be chosen. */
    public static final ContentEncoding JSONL_GZIP =
            new ContentEncoding(ObjectFormat.JSONL, Compression.GZIP, 1);
    private static final int BUFFER = 64 * 1024;

    /**
     * Returns the value of the metadata entry.
     *
     * @return for example {@code jsonl+gzip}, {@code csv+zstd} or {@code csv}
     */
    public String metadataValue() {
        return compression == Compression.NONE ? format.label()
                : format.label() + "+" + compression.label();
    }

    /**
     * Returns what the object's name ends with.
     *
     * @return for example {@code .jsonl.gz}
     */
    public String suffix() {
        return "." + format.extension() + compression.suffix();
    }

    /**
     * Reads the encoding from the metadata entry's value.
     *
     * @param value the entry, absent for objects other writers stored
     * @param key the object key, for messages
     * @param formats the formats the reader knows besides the built-in ones
     * @return the encoding, absent when the object carries no entry
     * @throws IntegrityException when the entry names an unknown format or compression
     */
    public static Optional<ContentEncoding> parse(Optional<String> value, String key,
            List<RecordFormat> formats) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = value.get().split("\\+", -1);
        if (parts.length > 2) {
            throw unknown(key);
        }
        RecordFormat format = format(parts[0], key, formats);
        Compression compression = parts.length == 1 ? Compression.NONE
                : compression(parts[1], key);
        return Optional.of(new ContentEncoding(format, compression, compression.defaultLevel()));
    }

    private static RecordFormat format(String name, String key, List<RecordFormat> formats) {
        for (ObjectFormat format : ObjectFormat.values()) {
            if (format.label().equals(name)) {
                return format;
            }
        }
        for (RecordFormat format : formats) {
            if (format.label().equals(name)) {
                return format;
            }
        }
        throw unknown(key);
    }

    private static Compression compression(String name, String key) {
        for (Compression compression : Compression.values()) {
            if (compression != Compression.NONE && compression.label().equals(name)) {
                return compression;
            }
        }
        throw unknown(key);
    }

    private static IntegrityException unknown(String key) {
        return new IntegrityException("object '" + key + "': its " + METADATA
                + " metadata names an encoding this reader does not know (a format of an"
                + " optional module must be registered with S3ObjectReader.Builder.format)");
    }

    /**
     * Wraps decrypted plaintext in the matching decompression.
     *
     * @param plaintext the decrypted bytes
     * @return the encoded records
     * @throws IOException when the compressed stream cannot be started
     */
    public InputStream decompress(InputStream plaintext) throws IOException {
        return switch (compression) {
            case GZIP -> new GZIPInputStream(plaintext, BUFFER);
            case ZSTD -> new ZstdInputStream(plaintext);
            case NONE -> plaintext;
        };
    }
}
