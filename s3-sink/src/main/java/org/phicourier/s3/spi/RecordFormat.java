package org.phicourier.s3.spi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * A record format the S3 sink can write and the object reader can read back, so that an
 * optional module (such as Parquet) adds a format without the sink depending on it. The
 * built-in formats are the constants of {@link org.phicourier.s3.ObjectFormat}.
 *
 * <p>The sink hands the encoder a stream that already compresses (unless the format
 * {@linkplain #compressesItself compresses itself}) and encrypts; the encoder never sees
 * ciphertext and must not close that stream. The reader hands the decoder the verified,
 * decrypted and decompressed content. Neither may write plaintext to disk, nor put a record
 * value into a log line or an exception message: name the field and, where known, the record.
 *
 * <p>Implementations are immutable and thread-safe; each encoder and decoder serves one object
 * on one thread.
 */
public interface RecordFormat {
    /**
     * Returns the name of the format in the {@code phi-courier-content} metadata entry of each
     * object ({@code <label>} or {@code <label>+<compression>}), from which readers learn how
     * to decode; lower-case letters, digits and {@code -}, unique among the formats in use.
     *
     * @return for example {@code jsonl}, {@code csv} or {@code parquet}
     */
    String label();

    /**
     * Returns what object names end with, before the compression's suffix, without the dot.
     *
     * @return for example {@code csv}
     */
    String extension();

    /**
     * Tells whether the format compresses its own content, in which case the sink's outer
     * compression must be {@link org.phicourier.s3.Compression#NONE}: the decrypted object is
     * then a file of this format as it stands. False by default.
     *
     * @return true when the sink must not compress the encoded bytes
     */
    default boolean compressesItself() {
        return false;
    }

    /**
     * Opens the encoder of one object.
     *
     * @param out where the encoded bytes go; compressing and encrypting, never to be closed
     * @param schema the schema of every row of the object
     * @return the encoder
     * @throws IOException when the format cannot start writing
     */
    Encoder openEncoder(OutputStream out, Schema schema) throws IOException;

    /**
     * Opens the decoder of one object.
     *
     * @param content the decrypted, decompressed content; the decoder closes it
     * @param schema the schema the object was written with
     * @return the decoder
     * @throws IOException when the content cannot be read
     * @throws org.phicourier.IntegrityException when the content is not of this format or does
     *     not fit the schema
     */
    Decoder openDecoder(InputStream content, Schema schema) throws IOException;

    /** Writes the rows of one object. Not thread-safe. */
    interface Encoder {
        /**
         * Encodes one row.
         *
         * @param row a row of the object's schema
         * @throws IOException when the bytes cannot be written
         */
        void write(Row row) throws IOException;

        /**
         * Writes what the format keeps buffered and its trailer, and flushes; the stream
         * below stays open.
         *
         * @throws IOException when the bytes cannot be written
         */
        void finish() throws IOException;
    }

    /** Reads the rows of one object back, in the order they were written. Not thread-safe. */
    interface Decoder extends Closeable {
        /**
         * Reads the next row.
         *
         * @return the row, or empty at the end of the object
         * @throws IOException when the content cannot be read
         * @throws org.phicourier.IntegrityException when a record does not fit the schema; the
         *     message names the field, never the value
         */
        Optional<Row> next() throws IOException;
    }
}
