package org.phicourier.s3.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Schema;
import org.phicourier.s3.parquet.internal.ParquetRowDecoder;
import org.phicourier.s3.parquet.internal.ParquetRowEncoder;
import org.phicourier.s3.spi.RecordFormat;

/**
 * Apache Parquet as a record format of the S3 sink: each object, once decrypted, is a Parquet
 * file that any Parquet reader opens. Register it with {@code S3Sink.Builder.format(...)} to
 * write and with {@code S3ObjectReader.Builder.format(...)} to read back.
 *
 * <p>Types, each field a top-level column (optional when the field is nullable):
 * <ul>
 * <li>STRING: {@code BINARY} (STRING); INT32: {@code INT32} (INT(32, signed)); INT64:
 *     {@code INT64} (INT(64, signed)); FLOAT32 {@code FLOAT}; FLOAT64 {@code DOUBLE} (NaN and
 *     the infinities kept); BOOLEAN {@code BOOLEAN}; BINARY {@code BINARY}.</li>
 * <li>DECIMAL with a declared precision (up to 38) and scale: {@code FIXED_LEN_BYTE_ARRAY}
 *     (DECIMAL(precision, scale)); values are stored at the declared scale (one that needs
 *     rounding or exceeds the precision fails the row), so they read back at that scale.
 *     DECIMAL without precision and scale, or wider than 38 digits, has no fixed Parquet
 *     type (most readers stop at 38): it is stored exactly as
 *     its text, {@code BINARY} (STRING), and reads back with its own scale.</li>
 * <li>DATE: {@code INT32} (DATE). TIME: {@code INT64} (TIME(NANOS, not adjusted to UTC)).</li>
 * <li>TIMESTAMP (no zone): {@code INT64} (TIMESTAMP(NANOS, isAdjustedToUTC=false)).</li>
 * <li>TIMESTAMP_TZ: {@code INT64} (TIMESTAMP(NANOS, isAdjustedToUTC=true)), the instant in
 *     UTC, <b>plus a side column {@code <field>__offset}</b>, {@code INT32} (INT(32, signed)),
 *     the offset from UTC in seconds that the value was recorded in, so that it reads back with
 *     its offset. Other readers see the instant in UTC and may ignore the side column. A field
 *     name that collides with a side column is refused.</li>
 * <li>JSON: {@code BINARY} (JSON), compact JSON text; JSON {@code null} stays apart from a
 *     null field.</li>
 * </ul>
 * Nanosecond timestamps cover 1677-09-21 to 2262-04-11; a value outside fails its row, naming
 * the field (never the value).
 *
 * <p>The sink's outer compression must be {@code NONE} (the default with this format): pages
 * are compressed by the {@linkplain Builder#codec codec} instead, so that the decrypted object
 * is a valid Parquet file. <b>Memory:</b> the writer holds one row group in memory before it
 * streams it into the encrypting upload, so heap per open object stays near
 * {@linkplain Builder#rowGroupBytes the row-group size} (8 MiB by default); objects rotate by
 * size only between row groups. <b>Reading</b> needs random access: the reader holds the
 * whole decrypted (and verified) object in memory, up to {@linkplain Builder#maxReadBytes a
 * limit} (256 MiB by default), and refuses a larger object; it never writes plaintext to disk.
 *
 * <p><b>Logging:</b> at DEBUG, parquet-java logs every value it writes or reads. Writing and
 * reading are therefore refused (failing the object, never logging) while any of its
 * value-logging loggers under {@code org.apache.parquet} is at DEBUG or finer; keep
 * {@code org.apache.parquet} at INFO or coarser.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ParquetFormat implements RecordFormat {
    private static final int MIB = 1024 * 1024;

    private final ParquetCodec codec;
    private final long rowGroupBytes;
    private final int pageBytes;
    private final long maxReadBytes;

    private ParquetFormat(Builder builder) {
        this.codec = builder.codec;
        this.rowGroupBytes = builder.rowGroupBytes;
        this.pageBytes = builder.pageBytes;
        this.maxReadBytes = builder.maxReadBytes;
    }

    /**
     * Returns the format with its defaults: Snappy pages, 8 MiB row groups, reads up to 256 MiB.
     *
     * @return the format
     */
    public static ParquetFormat create() {
        return builder().build();
    }

    /**
     * Starts building a format.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns {@code parquet}, the format's name in the {@code phi-courier-content} metadata.
     *
     * @return {@code parquet}
     */
    @Override
    public String label() {
        return "parquet";
    }

    /**
     * Returns {@code parquet}: object names end in {@code .parquet}.
     *
     * @return {@code parquet}
     */
    @Override
    public String extension() {
        return "parquet";
    }

    /**
     * Returns true: Parquet compresses its pages, so the sink must not compress the file.
     *
     * @return true
     */
    @Override
    public boolean compressesItself() {
        return true;
    }

    @Override
    public Encoder openEncoder(OutputStream out, Schema schema) throws IOException {
        return ParquetRowEncoder.open(out, schema, codec.codecName(), rowGroupBytes, pageBytes);
    }

    /**
     * Opens the decoder of one object, reading the whole decrypted object into memory first.
     *
     * @throws ConfigurationException when the object is larger than the read limit
     */
    @Override
    public Decoder openDecoder(InputStream content, Schema schema) throws IOException {
        return ParquetRowDecoder.open(content, schema, maxReadBytes);
    }

    /**
     * Returns the page codec.
     *
     * @return the codec
     */
    public ParquetCodec codec() {
        return codec;
    }

    @Override
    public String toString() {
        return "ParquetFormat[" + codec + ", row groups " + rowGroupBytes + " B, reads up to "
                + maxReadBytes + " B]";
    }

    /** Builds a {@link ParquetFormat}; mutable and not thread-safe. */
    public static final class Builder {
        private ParquetCodec codec = ParquetCodec.SNAPPY;
        private long rowGroupBytes = 8L * MIB;
        private int pageBytes = MIB;
        private long maxReadBytes = 256L * MIB;

        private Builder() {
        }

        /**
         * Sets the page compression; {@link ParquetCodec#SNAPPY} by default.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(ParquetCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Sets the size a row group reaches in memory before it is written out; 8 MiB by
         * default, at least 1 MiB. It bounds the writer's heap per open object.
         *
         * @param bytes the row-group size
         * @return this builder
         */
        public Builder rowGroupBytes(long bytes) {
            this.rowGroupBytes = bytes;
            return this;
        }

        /**
         * Sets the page size; 1 MiB by default, at least 64 KiB and at most the row-group size.
         *
         * @param bytes the page size
         * @return this builder
         */
        public Builder pageBytes(int bytes) {
            this.pageBytes = bytes;
            return this;
        }

        /**
         * Sets the largest decrypted object the reader holds in memory; 256 MiB by default,
         * at most 2 GiB less a little. Larger objects are refused when read.
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxReadBytes(long bytes) {
            this.maxReadBytes = bytes;
            return this;
        }

        /**
         * Builds the format.
         *
         * @return the format
         * @throws ConfigurationException when a size is out of range
         */
        public ParquetFormat build() {
            StringBuilder problems = new StringBuilder();
            if (rowGroupBytes < MIB) {
                problems.append(" rowGroupBytes must be at least 1 MiB;");
            }
            if (pageBytes < 64 * 1024 || pageBytes > rowGroupBytes) {
                problems.append(" pageBytes must be at least 64 KiB and at most rowGroupBytes;");
            }
            if (maxReadBytes < 1 || maxReadBytes > Integer.MAX_VALUE - 64) {
                problems.append(" maxReadBytes must be between 1 and 2 GiB;");
            }
            if (problems.length() > 0) {
                throw new ConfigurationException("Parquet format:" + problems);
            }
            return new ParquetFormat(this);
        }
    }
}
