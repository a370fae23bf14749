package org.phicourier.benchmarks;

/**
 * One timed run of one contender.
 *
 * @param wallMillis from starting the process to its exit, what a user waits for
 * @param innerMillis the time the child measured around its own work (JVM start-up and
 *     class loading excluded); equal to the wall time for shell pipelines
 * @param bytes bytes written to S3, where the contender reports them
 * @param peakUsed largest heap use sampled, PHI Courier only (0 otherwise)
 * @param peakAfterGc largest live heap after a collection, PHI Courier only (0 otherwise)
 * @param compression the compression used, where the contender reports it
 * @param setupMillis from the JVM's start to the start of the run (clients, pipeline built),
 *     PHI Courier only (0 otherwise)
 * @param firstBatchMillis from the start of the run to the first batch handed to the sink
 *     (connecting, planning, preflight, the first batch read and transformed), PHI Courier
 *     only (0 otherwise)
 */
record Run(long wallMillis, long innerMillis, long bytes, long peakUsed, long peakAfterGc,
        String compression, long setupMillis, long firstBatchMillis) {
}
