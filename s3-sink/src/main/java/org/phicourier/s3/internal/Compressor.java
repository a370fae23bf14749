package org.phicourier.s3.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import com.github.luben.zstd.ZstdOutputStream;

/**
 * The compressing stage of an object: bytes in, compressed bytes out to the encryption. It
 * never closes the stream below it. Not thread-safe.
 */
abstract class Compressor extends FilterOutputStream {
    private static final int BUFFER = 64 * 1024;

    private Compressor(OutputStream out) {
        super(out);
    }

    static Compressor open(ContentEncoding encoding, OutputStream out) throws IOException {
        return switch (encoding.compression()) {
            case GZIP -> new Gzip(out, encoding.level());
            case ZSTD -> new Zstd(out, encoding.level());
            case NONE -> new Plain(out);
        };
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    /** Writes what the compressor still holds and its trailer; the stream below stays open. */
    abstract void finish() throws IOException;

    /** Frees native memory; safe to call more than once and after a failure. */
    abstract void release();

    /**
     * Keeps the compressor from closing the encryption under it, and drops what it writes once
     * the object is abandoned.
     */
    private static final class Unclosable extends FilterOutputStream {
        private boolean discarding;

        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (!discarding) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (!discarding) {
                out.write(bytes, offset, length);
            }
        }

        @Override
        public void close() throws IOException {
            if (!discarding) {
                out.flush();
            }
        }
    }

    private static final class Gzip extends Compressor {
        private final LeveledGzip gzip;

        Gzip(OutputStream out, int level) throws IOException {
            this(new LeveledGzip(out, level));
        }

        private Gzip(LeveledGzip gzip) {
            super(gzip);
            this.gzip = gzip;
        }

        @Override
        void finish() throws IOException {
            gzip.finish();
        }

        @Override
        void release() {
            gzip.release();
        }
    }

    /** A gzip stream with a chosen deflate level. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, BUFFER);
            def.setLevel(level);
        }

        void release() {
            def.end();
        }
    }

    private static final class Zstd extends Compressor {
        private final Unclosable below;
        private final ZstdOutputStream zstd;
        private boolean closed;

        Zstd(OutputStream out, int level) throws IOException {
            this(new Unclosable(out), level);
        }

        private Zstd(Unclosable below, int level) throws IOException {
            this(below, new ZstdOutputStream(below, level));
        }

        private Zstd(Unclosable below, ZstdOutputStream zstd) {
            super(zstd);
            this.below = below;
            this.zstd = zstd;
        }

        @Override
        void finish() throws IOException {
            closed = true;
            zstd.close();
        }

        @Override
        void release() {
            if (closed) {
                return;
            }
            closed = true;
            below.discarding = true;
            try {
                zstd.close();
            } catch (IOException e) {
                // The object is being abandoned: its bytes no longer matter, only native memory.
                return;
            }
        }
    }

    private static final class Plain extends Compressor {
        Plain(OutputStream out) {
            super(out);
        }

        @Override
        void finish() throws IOException {
            out.flush();
        }

        @Override
        void release() {
            // Nothing native to free.
        }
    }
}
