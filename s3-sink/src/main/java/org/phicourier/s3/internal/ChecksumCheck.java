package org.phicourier.s3.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.phicourier.IntegrityException;
import org.phicourier.s3.IntegrityChecksum;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Checks an object's ciphertext, as it is read, against the checksum S3 stored for it: the whole
 * object's for a single PUT, the composite of per-part checksums for a multipart object (whose
 * part size the writer put in the metadata). Objects without a stored checksum, or multipart
 * objects without a recorded part size, are read unchecked; AES-GCM still authenticates them.
 */
public final class ChecksumCheck {
    private final IntegrityChecksum algorithm;
    private final String expected;
    private final Optional<Long> partSize;
    private final String key;

    private ChecksumCheck(IntegrityChecksum algorithm, String expected, Optional<Long> partSize,
            String key) {
        this.algorithm = algorithm;
        this.expected = expected;
        this.partSize = partSize;
        this.key = key;
    }

    /**
     * Looks up the checksum S3 stored for the object version a GET returned.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the key
     * @param response the GET's response (its ETag and metadata)
     * @return the check, or nothing when the object cannot be checked
     */
    public static Optional<ChecksumCheck> of(S3Client s3, String bucket, String key,
            GetObjectResponse response) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(r -> r.bucket(bucket).key(key).ifMatch(response.eTag())
                    .checksumMode(ChecksumMode.ENABLED));
        } catch (SdkException e) {
            return Optional.empty();
        }
        IntegrityChecksum algorithm = head.checksumSHA256() != null ? IntegrityChecksum.SHA256
                : IntegrityChecksum.CRC32C;
        String value = head.checksumSHA256() != null ? head.checksumSHA256()
                : head.checksumCRC32C();
        if (value == null) {
            return Optional.empty();
        }
        Optional<Long> partSize = Optional.ofNullable(response.metadata()
                .get(Checksums.PART_SIZE_METADATA)).map(Long::parseLong);
        boolean composite = composite(head, value);
        if (composite && partSize.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ChecksumCheck(algorithm, strip(value),
                composite ? partSize : Optional.empty(), key));
    }

    /**
     * S3 says which kind it stored; without that, a {@code -<parts>} suffix on the value or the
     * ETag marks a composite (emulators put it on the ETag only).
     */
    private static boolean composite(HeadObjectResponse head, String value) {
        ChecksumType type = head.checksumType();
        if (type != null && type != ChecksumType.UNKNOWN_TO_SDK_VERSION) {
            return type == ChecksumType.COMPOSITE;
        }
        return value.contains("-") || head.eTag() != null && head.eTag().contains("-");
    }

    /** S3 writes a composite as {@code <base64>-<parts>}; emulators may leave the suffix off. */
    private static String strip(String value) {
        int dash = value.indexOf('-');
        return dash < 0 ? value : value.substring(0, dash);
    }

    /**
     * Wraps the ciphertext so that reaching its end checks it.
     *
     * @param body the ciphertext
     * @return the same bytes; the read that reaches the end throws {@link IntegrityException}
     *     when the checksum differs
     */
    public InputStream wrap(InputStream body) {
        return new Checked(body);
    }

    /**
     * Wraps the ciphertext in a check when there is one.
     *
     * @param check the check, if any
     * @param body the ciphertext
     * @return the wrapped or the same stream
     */
    public static InputStream wrap(Optional<ChecksumCheck> check, InputStream body) {
        return check.map(c -> c.wrap(body)).orElse(body);
    }

    private final class Checked extends FilterInputStream {
        private final List<byte[]> partSums = new ArrayList<>();
        private Checksums.Running running = Checksums.start(algorithm);
        private long inPart;
        private boolean done;

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = in.read(bytes, offset, length);
            if (n < 0) {
                finish();
                return n;
            }
            update(bytes, offset, n);
            return n;
        }

        private void update(byte[] bytes, int offset, int length) {
            while (length > 0) {
                int take = partSize.isPresent()
                        ? (int) Math.min(length, partSize.get() - inPart) : length;
                running.update(bytes, offset, take);
                inPart += take;
                offset += take;
                length -= take;
                if (partSize.isPresent() && inPart == partSize.get()) {
                    partSums.add(running.finish());
                    running = Checksums.start(algorithm);
                    inPart = 0;
                }
            }
        }

        private void finish() {
            if (done) {
                return;
            }
            done = true;
            String actual;
            if (partSize.isPresent()) {
                if (inPart > 0) {
                    partSums.add(running.finish());
                }
                actual = strip(Checksums.composite(algorithm, partSums));
            } else {
                actual = Base64.getEncoder().encodeToString(running.finish());
            }
            if (!actual.equals(expected)) {
                throw new IntegrityException("object '" + key + "': its " + algorithm
                        + " checksum does not match the one S3 stored");
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
