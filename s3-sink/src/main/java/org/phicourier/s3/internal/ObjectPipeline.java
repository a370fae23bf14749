package org.phicourier.s3.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import javax.crypto.Cipher;
import org.phicourier.SinkException;
import org.phicourier.crypto.internal.EncryptingOutputStream;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.spi.RecordFormat;

/**
 * The chain one object's records pass through, once per byte: the record format, compression,
 * AES-GCM, upload. Not thread-safe.
 */
final class ObjectPipeline {
    private final String stream;
    private final Schema schema;
    private final Instant openedAt;
    private final RecordFormat.Encoder encoder;
    private final Compressor compressor;
    private final EncryptingOutputStream encryption;
    private final EncryptedObjectUpload upload;
    private final Counter counter;
    private long records;

    private ObjectPipeline(String stream, Schema schema, Instant openedAt, Counter counter,
            RecordFormat.Encoder encoder, Compressor compressor, EncryptingOutputStream encryption,
            EncryptedObjectUpload upload) {
        this.stream = stream;
        this.schema = schema;
        this.openedAt = openedAt;
        this.counter = counter;
        this.encoder = encoder;
        this.compressor = compressor;
        this.encryption = encryption;
        this.upload = upload;
    }

    static ObjectPipeline open(String stream, Schema schema, Cipher cipher,
            EncryptedObjectUpload upload, ContentEncoding encoding, Instant now) {
        Compressor compressor = null;
        try {
            EncryptingOutputStream encryption = new EncryptingOutputStream(upload, cipher);
            compressor = Compressor.open(encoding, encryption);
            Counter counter = new Counter(compressor);
            RecordFormat.Encoder encoder = encoding.format().openEncoder(counter, schema);
            return new ObjectPipeline(stream, schema, now, counter, encoder, compressor,
                    encryption, upload);
        } catch (IOException e) {
            if (compressor != null) {
                compressor.release();
            }
            upload.abort();
            throw new SinkException("stream '" + stream + "': cannot start object '"
                    + upload.key() + "'", e);
        }
    }

    void write(Row row, long position) {
        try {
            encoder.write(row);
            records++;
        } catch (IOException e) {
            throw S3StreamWriter.serialisationFailure(stream, position, e);
        }
    }

    long records() {
        return records;
    }

    Schema schema() {
        return schema;
    }

    Instant openedAt() {
        return openedAt;
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

    /** Returns the encoded bytes written so far, before compression. */
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
            encoder.finish();
            compressor.finish();
            encryption.finish();
        } catch (IOException e) {
            abort();
            throw new SinkException("stream '" + stream + "': cannot finish object '"
                    + upload.key() + "'", e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        } finally {
            compressor.release();
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
        compressor.release();
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
}
