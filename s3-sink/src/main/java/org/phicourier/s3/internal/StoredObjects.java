package org.phicourier.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;
import org.phicourier.crypto.WrapAlgorithm;
import org.phicourier.crypto.internal.ContentMetadata;
import org.phicourier.crypto.internal.EnvelopeLayout;
import org.phicourier.crypto.internal.MetadataKeys;
import org.phicourier.s3.S3Sink;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 reads shared by the reader and key rotation: GET and HEAD with failures named by object
 * key, the instruction file, the envelope, and the encryption context PHI Courier objects carry.
 */
public final class StoredObjects {
    private static final int MAX_INSTRUCTION_FILE_BYTES = 64 * 1024;

    private StoredObjects() {
    }

    /**
     * Gets an object, optionally only if its ETag still matches.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the key
     * @param etag the ETag it must have, if any
     * @return the body; the caller closes it
     */
    public static ResponseInputStream<GetObjectResponse> get(S3Client s3, String bucket,
            String key, Optional<String> etag) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key).ifMatch(etag.orElse(null)));
        } catch (NoSuchKeyException e) {
            throw missing(bucket, key);
        } catch (S3Exception e) {
            throw failure(key, e);
        } catch (SdkClientException e) {
            throw unreachable(key, e);
        }
    }

    /**
     * Reads an object's metadata.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the key
     * @return the response
     */
    public static HeadObjectResponse head(S3Client s3, String bucket, String key) {
        try {
            return s3.headObject(r -> r.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw missing(bucket, key);
        } catch (S3Exception e) {
            throw e.statusCode() == 404 ? missing(bucket, key) : failure(key, e);
        } catch (SdkClientException e) {
            throw unreachable(key, e);
        }
    }

    /**
     * Reads an object's instruction file, when it has one.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the object's key (not the file's)
     * @return the file's entries, or nothing when there is no file
     * @throws IntegrityException when the file is not a flat JSON object of strings
     */
    public static Optional<Map<String, String>> instructionFile(S3Client s3, String bucket,
            String key) {
        String fileKey = EnvelopeLayout.instructionFileKey(key);
        try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(fileKey))) {
            byte[] body = in.readNBytes(MAX_INSTRUCTION_FILE_BYTES + 1);
            if (body.length > MAX_INSTRUCTION_FILE_BYTES) {
                throw new IntegrityException("object '" + key + "': its instruction file is too"
                        + " large");
            }
            return Optional.of(EnvelopeLayout.parseInstructionFile(key, body));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure(fileKey, e);
        } catch (SdkClientException e) {
            throw unreachable(fileKey, e);
        } catch (IOException e) {
            throw new SinkException("instruction file of '" + key + "' could not be read", e);
        }
    }

    /**
     * Reads an object's envelope from its metadata and, where needed, its instruction file.
     *
     * @param s3 the client
     * @param bucket the bucket
     * @param key the object key
     * @param metadata the object's user metadata
     * @param lookForInstructionFile whether an object without envelope metadata may have its
     *     envelope in an instruction file (V1/V2)
     * @return the envelope
     * @throws IntegrityException when the object is not encrypted or its envelope is malformed
     */
    public static ContentMetadata envelope(S3Client s3, String bucket, String key,
            Map<String, String> metadata, boolean lookForInstructionFile) {
        ContentMetadata.Location location = ContentMetadata.locate(key, metadata);
        if (location == ContentMetadata.Location.NONE && !lookForInstructionFile) {
            throw new IntegrityException("object '" + key + "': object is not encrypted (no"
                    + " envelope metadata; if its envelope is in an instruction file, enable"
                    + " instruction files)");
        }
        Optional<Map<String, String>> file = location == ContentMetadata.Location.OBJECT
                ? Optional.empty() : instructionFile(s3, bucket, key);
        return ContentMetadata.parse(key, metadata, file);
    }

    /**
     * Builds the encryption context a PHI Courier object was written with: its bucket and key,
     * and the stream named in the stored KMS context, if any. Local keyrings ignore it.
     *
     * @param bucket the bucket being read
     * @param key the key being read
     * @param envelope the object's envelope
     * @return the context to check the stored one against
     */
    public static Map<String, String> derivedContext(String bucket, String key,
            ContentMetadata envelope) {
        Map<String, String> context = new HashMap<>();
        context.put(S3Sink.CONTEXT_BUCKET, bucket);
        context.put(S3Sink.CONTEXT_KEY, key);
        Optional.of(envelope.dataKey()).filter(k -> k.algorithm() == WrapAlgorithm.KMS_CONTEXT)
                .flatMap(k -> Optional.ofNullable(k.description().get(S3Sink.CONTEXT_STREAM)))
                .ifPresent(stream -> context.put(S3Sink.CONTEXT_STREAM, stream));
        return Map.copyOf(context);
    }

    /**
     * Tells whether a key names an instruction file rather than an object.
     *
     * @param key the key
     * @return true for {@code *.instruction}
     */
    public static boolean isInstructionFile(String key) {
        return key.endsWith(MetadataKeys.INSTRUCTION_FILE_SUFFIX);
    }

    private static ConfigurationException missing(String bucket, String key) {
        return new ConfigurationException("object '" + key + "' does not exist in bucket '"
                + bucket + "'");
    }

    private static RuntimeException failure(String key, S3Exception e) {
        if (e.statusCode() == 412) {
            return new IntegrityException("object '" + key + "' changed while it was being read");
        }
        if (e.statusCode() == 403) {
            return new ConfigurationException("access to object '" + key + "' is denied");
        }
        return new SinkException("object '" + key + "' cannot be read: HTTP " + e.statusCode(),
                e);
    }

    private static SinkException unreachable(String key, SdkClientException e) {
        return new SinkException("S3 is unreachable while reading '" + key + "' ("
                + e.getClass().getSimpleName() + ")", e);
    }
}
