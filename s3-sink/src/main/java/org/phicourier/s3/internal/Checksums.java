package org.phicourier.s3.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;
import org.phicourier.s3.IntegrityChecksum;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;

/**
 * S3 checksums over ciphertext, computed as S3 computes them: a part's checksum over its bytes;
 * a single-PUT object's over all its bytes; a multipart object's ("composite") over the
 * concatenated binary checksums of its parts, written {@code <base64>-<parts>}.
 */
public final class Checksums {
    /** The user-metadata entry holding the part size, which a reader needs for composites. */
    public static final String PART_SIZE_METADATA = "phi-courier-part-size";

    private Checksums() {
    }

    /** An incremental checksum. */
    interface Running {
        void update(byte[] bytes, int offset, int length);

        byte[] finish();
    }

    static Running start(IntegrityChecksum algorithm) {
        if (algorithm == IntegrityChecksum.CRC32C) {
            CRC32C crc = new CRC32C();
            return new Running() {
                @Override
                public void update(byte[] bytes, int offset, int length) {
                    crc.update(bytes, offset, length);
                }

                @Override
                public byte[] finish() {
                    return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
                }
            };
        }
        MessageDigest sha = sha256();
        return new Running() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                sha.update(bytes, offset, length);
            }

            @Override
            public byte[] finish() {
                return sha.digest();
            }
        };
    }

    /**
     * Computes the checksum of some bytes.
     *
     * @param algorithm the algorithm
     * @param bytes the bytes
     * @param length how many, from the start
     * @return the binary checksum
     */
    public static byte[] of(IntegrityChecksum algorithm, byte[] bytes, int length) {
        Running running = start(algorithm);
        running.update(bytes, 0, length);
        return running.finish();
    }

    /**
     * Combines part checksums into the composite S3 reports for a multipart object.
     *
     * @param algorithm the algorithm
     * @param parts the binary checksums of the parts, in order
     * @return {@code <base64>-<number of parts>}
     */
    public static String composite(IntegrityChecksum algorithm, List<byte[]> parts) {
        Running running = start(algorithm);
        parts.forEach(part -> running.update(part, 0, part.length));
        return base64(running.finish()) + "-" + parts.size();
    }

    /**
     * Encodes a binary checksum as S3 headers carry it.
     *
     * @param checksum the binary checksum
     * @return its base64 form
     */
    public static String base64(byte[] checksum) {
        return Base64.getEncoder().encodeToString(checksum);
    }

    /**
     * Names the SDK's algorithm for ours.
     *
     * @param algorithm ours
     * @return the SDK's
     */
    public static ChecksumAlgorithm sdk(IntegrityChecksum algorithm) {
        return algorithm == IntegrityChecksum.CRC32C ? ChecksumAlgorithm.CRC32_C
                : ChecksumAlgorithm.SHA256;
    }

    /**
     * Renders an object's checksum for the manifest: {@code <ALGORITHM>:<value>}.
     *
     * @param algorithm the algorithm
     * @param value the base64 value, with {@code -<parts>} for a composite
     * @return the text
     */
    public static String label(IntegrityChecksum algorithm, String value) {
        return algorithm.name() + ":" + value;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
