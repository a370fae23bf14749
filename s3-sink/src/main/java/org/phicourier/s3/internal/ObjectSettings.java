package org.phicourier.s3.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.phicourier.crypto.EnvelopeVersion;

/**
 * The settings of an {@link org.phicourier.s3.S3Sink} that shape its objects.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, empty or ending in a slash
 * @param maxRecords records per object at most
 * @param maxBytes stored bytes at which an object is closed
 * @param partSize multipart part size
 * @param uploadConcurrency parts in flight at most
 * @param encoding the record format and compression
 * @param formatVersion the envelope format
 * @param instructionFile true to put every envelope in an instruction file
 * @param keyTemplate the caller's key template; empty for the default layouts
 * @param maxAge the age at which an object is closed; empty for no limit
 * @param maxOpenObjects objects (partitions) open at once at most
 * @param clock tells the time for {@code maxAge}
 */
public record ObjectSettings(String bucket, String prefix, long maxRecords, long maxBytes,
        int partSize, int uploadConcurrency, ContentEncoding encoding,
        EnvelopeVersion formatVersion, boolean instructionFile,
        Optional<KeyTemplate> keyTemplate, Optional<Duration> maxAge, int maxOpenObjects,
        Clock clock) {
}
