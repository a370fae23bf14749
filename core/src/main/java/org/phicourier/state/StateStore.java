package org.phicourier.state;

import java.util.Optional;

/**
 * Keeps the state of a pipeline between runs: one small document, replaced as a whole and only
 * on condition, so that two runs of the same pipeline can never both commit.
 *
 * <p>The pipeline writes the document; a store only keeps it. The document holds, per stream,
 * the bookmark (its record values encrypted under the pipeline's keyring), the generation and
 * object numbering, the schema version and the id of the run that wrote it, and never a plaintext
 * record value. It is written once when a run starts (claiming the state), after every object
 * that moves a bookmark, and when the run ends.
 *
 * <p>Every write names the version it replaces and fails with
 * {@link org.phicourier.StateConflictException} when the stored version is another: the
 * compare-and-replace must be atomic against other processes. A write either replaces the whole
 * document or leaves the old one; a reader never sees a partial document. Implementations are
 * thread-safe.
 */
public interface StateStore {
    /**
     * Reads the current document.
     *
     * @return the document and its version, or nothing when no state was ever written
     * @throws org.phicourier.ConfigurationException when the store cannot be read (permission,
     *     missing bucket)
     * @throws org.phicourier.SinkException when the store cannot be reached
     */
    Optional<StoredState> read();

    /**
     * Replaces the document if its version is still the expected one.
     *
     * @param document the new document
     * @param expectedVersion the version read or written last, or nothing when the state must not
     *     exist yet
     * @return the version of the new document
     * @throws org.phicourier.StateConflictException when the stored version is not the expected
     *     one; nothing is written then
     * @throws org.phicourier.SinkException when the store cannot be written
     */
    String write(byte[] document, Optional<String> expectedVersion);
}
