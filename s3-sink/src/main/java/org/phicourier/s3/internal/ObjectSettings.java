package org.phicourier.s3.internal;

/**
 * The settings of an {@link org.phicourier.s3.S3Sink} that shape its objects.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, empty or ending in a slash
 * @param maxRecords records per object at most
 * @param maxBytes stored bytes at which an object is closed
 * @param partSize multipart part size
 * @param uploadConcurrency parts in flight at most
 * @param compressionLevel the gzip level
 * @param formatVersion the envelope format
 * @param instructionFile true to put every envelope in an instruction file
 */
public record ObjectSettings(String bucket, String prefix, long maxRecords, long maxBytes,
        int partSize, int uploadConcurrency, int compressionLevel,
        org.phicourier.crypto.EnvelopeVersion formatVersion, boolean instructionFile) {
}
