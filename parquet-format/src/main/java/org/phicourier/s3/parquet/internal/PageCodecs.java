package org.phicourier.s3.parquet.internal;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet's page codecs without Hadoop: parquet-hadoop's own factory builds a Hadoop
 * {@code Configuration} for every codec, which drags in the whole Hadoop client runtime. The
 * page formats are the standard ones (Snappy raw blocks, zstd frames, gzip members), so the
 * files read anywhere. Stateless and thread-safe.
 */
final class PageCodecs implements CompressionCodecFactory {
    static final PageCodecs INSTANCE = new PageCodecs();
    private static final int ZSTD_LEVEL = 3;

    private PageCodecs() {
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new Compressor(supported(codec));
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(supported(codec));
    }

    @Override
    public void release() {
        // Nothing pooled.
    }

    private static CompressionCodecName supported(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, ZSTD, GZIP -> codec;
            default -> throw new IllegalArgumentException("Parquet page codec " + codec
                    + " is not supported; use SNAPPY, ZSTD, GZIP or UNCOMPRESSED");
        };
    }

    static byte[] compress(CompressionCodecName codec, byte[] input) throws IOException {
        return switch (codec) {
            case SNAPPY -> Snappy.compress(input);
            case ZSTD -> Zstd.compress(input, ZSTD_LEVEL);
            case GZIP -> gzip(input);
            default -> input;
        };
    }

    static byte[] decompress(CompressionCodecName codec, byte[] input, int size)
            throws IOException {
        byte[] output = switch (codec) {
            case SNAPPY -> Snappy.uncompress(input);
            case ZSTD -> Zstd.decompress(input, size);
            case GZIP -> gunzip(input, size);
            default -> input;
        };
        if (output.length != size) {
            throw new IOException("a " + codec + " page decompressed to " + output.length
                    + " bytes where its header says " + size);
        }
        return output;
    }

    private static byte[] array(BytesInput bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(bytes.size()));
        bytes.writeAllTo(out);
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(input);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] input, int size) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(input))) {
            return in.readNBytes(size + 1);
        }
    }

    private static final class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(PageCodecs.compress(codec, array(bytes)));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
            // Nothing held.
        }
    }

    private static final class Decompressor implements BytesInputDecompressor {
        private final CompressionCodecName codec;

        Decompressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int size) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(PageCodecs.decompress(codec, array(bytes), size));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output,
                int size) throws IOException {
            byte[] compressed = new byte[compressedSize];
            input.get(compressed);
            output.put(codec == CompressionCodecName.UNCOMPRESSED ? compressed
                    : PageCodecs.decompress(codec, compressed, size));
        }

        @Override
        public void release() {
            // Nothing held.
        }
    }
}
