package org.phicourier.spi;

import java.util.List;

/**
 * What a {@link StreamWriter} stored for one stream.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param objectKeys the keys of the objects written, in order
 * @param bytesWritten the stored bytes of all objects together
 * @param recordsWritten the records in all objects together
 */
public record WriteResult(List<String> objectKeys, long bytesWritten, long recordsWritten) {
    /**
     * Creates a result, copying the key list.
     *
     * @param objectKeys the keys of the objects written, in order
     * @param bytesWritten the stored bytes of all objects together
     * @param recordsWritten the records in all objects together
     */
    public WriteResult {
        objectKeys = List.copyOf(objectKeys);
    }
}
