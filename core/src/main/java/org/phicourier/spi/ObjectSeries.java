package org.phicourier.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The series of objects a resumable writer continues: the generation it writes into, where its
 * numbering resumes, and the epoch of the run, which orders writers of the same state.
 *
 * <p>Object names derive from the stream, the generation and the sequence number only, so a run
 * that replays a range after a crash writes the same names. The {@code n}-th object of a
 * generation holds the records between the {@code (n-1)}-th and the {@code n}-th bookmark.
 * Instances are immutable and thread-safe.
 *
 * @param epoch the run's epoch; a later run of the same state has a higher one
 * @param generation the generation number, from 1
 * @param generationStartedAt when the generation was begun (UTC), part of the object names
 * @param firstSequence the sequence number of the next object to complete, from 1
 */
public record ObjectSeries(long epoch, long generation, Instant generationStartedAt,
        long firstSequence) {
    /**
     * Creates the description.
     *
     * @param epoch the run's epoch
     * @param generation the generation number, from 1
     * @param generationStartedAt when the generation was begun
     * @param firstSequence the sequence number of the next object, from 1
     * @throws IllegalArgumentException when a number is below 1
     */
    public ObjectSeries {
        Objects.requireNonNull(generationStartedAt, "generationStartedAt");
        if (epoch < 1 || generation < 1 || firstSequence < 1) {
            throw new IllegalArgumentException("epoch, generation and sequence start at 1");
        }
    }
}
