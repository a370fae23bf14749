package org.phicourier.internal;

/**
 * How a stream's batches move from reader to writer.
 *
 * @param queueCapacity batches that may wait between reading and writing, at least 1
 * @param transformThreads threads that may transform one stream's batches at once, at least 1
 */
public record PumpSettings(int queueCapacity, int transformThreads) {
}
