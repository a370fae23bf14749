package org.phicourier.s3.internal;

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
    private long records;

    private ObjectPipeline(String stream, RowJsonWriter json, LeveledGzip gzip,
            EncryptingOutputStream encryption, EncryptedObjectUpload upload) {
        this.stream = stream;
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
            return new ObjectPipeline(stream, new RowJsonWriter(gzip, schema), gzip, encryption,
                    upload);
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

    boolean usesInstructionFile() {
        return upload.usesInstructionFile();
    }

    long complete() {
        try {
            json.finish();
            json.close();
            gzip.finish();
            encryption.finish();
            return upload.complete();
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

    void abort() {
        gzip.release();
        upload.abort();
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
