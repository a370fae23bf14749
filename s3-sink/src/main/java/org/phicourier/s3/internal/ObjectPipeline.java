package org.phicourier.s3.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Cipher;
import org.phicourier.SinkException;
import org.phicourier.crypto.internal.EncryptingOutputStream;
import org.phicourier.internal.RowJsonWriter;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * The chain one object's records pass through, once per byte: JSON Lines, gzip, AES-GCM, upload.
 * Not thread-safe.
 */
final class ObjectPipeline {
    private static final int GZIP_BUFFER = 64 * 1024;

    private final String stream;
    private final RowJsonWriter json;
    private final LeveledGzip gzip;
    private final EncryptingOutputStream encryption;
    private final EncryptedObjectUpload upload;
    private final Counter counter;
    private long records;

    private ObjectPipeline(String stream, Counter counter, RowJsonWriter json, LeveledGzip gzip,
            EncryptingOutputStream encryption, EncryptedObjectUpload upload) {
        this.stream = stream;
        this.counter = counter;
        this.json = json;
        this.gzip = gzip;
        this.encryption = encryption;
        this.upload = upload;
    }

    static ObjectPipeline open(String stream, Schema schema, Cipher cipher,
            EncryptedObjectUpload upload, int level) {
        try {
            EncryptingOutputStream encryption = new EncryptingOutputStream(upload, cipher);
            LeveledGzip gzip = new LeveledGzip(encryption, level);
            Counter counter = new Counter(gzip);
            return new ObjectPipeline(stream, counter, new RowJsonWriter(counter, schema), gzip,
                    encryption, upload);
        } catch (IOException e) {
            upload.abort();
            throw new SinkException("stream '" + stream + "': cannot start object '"
                    + upload.key() + "'", e);
        }
    }

    void write(Row row, long position) {
        try {
            json.write(row);
            records++;
        } catch (IOException e) {
            throw S3StreamWriter.serialisationFailure(stream, position, e);
        }
    }

    long records() {
        return records;
    }

    long storedBytes() {
        return upload.bytesWritten();
    }

    String key() {
        return upload.key();
    }

    /** Returns the stored object's checksum over its ciphertext. */
    String checksum() {
        return upload.checksum();
    }

    boolean usesInstructionFile() {
        return upload.usesInstructionFile();
    }

    /** Returns the JSON bytes written so far, before compression. */
    long plaintextBytes() {
        return counter.count;
    }

    /** Finishes the object and stores it unconditionally. */
    long complete() {
        finishEncoding();
        return store(false);
    }

    /** Writes the last compressed and encrypted bytes; the object is then ready to store. */
    void finishEncoding() {
        try {
            json.finish();
            json.close();
            gzip.finish();
            encryption.finish();
        } catch (IOException e) {
            abort();
            throw new SinkException("stream '" + stream + "': cannot finish object '"
                    + upload.key() + "'", e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        } finally {
            gzip.release();
        }
    }

    /**
     * Stores the finished object.
     *
     * @param onlyIfAbsent true to store it only if its keys are free
     * @return the stored size
     * @throws KeyTakenException when a key is taken; the object can then be stored again
     */
    long store(boolean onlyIfAbsent) {
        try {
            return upload.complete(onlyIfAbsent);
        } catch (KeyTakenException e) {
            throw e;
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    void abort() {
        gzip.release();
        upload.abort();
    }

    /** Frees the buffers of an object that is stored already. */
    void release() {
        upload.release();
    }

    /** Counts the bytes that pass, on their way to compression. */
    private static final class Counter extends FilterOutputStream {
        long count;

        Counter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    /** A gzip stream with a chosen deflate level. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER);
            def.setLevel(level);
        }

        /** Frees the deflater's native memory; the stream itself is never closed. */
        void release() {
            def.end();
        }
    }
}
