package org.phicourier.crypto;

/**
 * Which objects a reader accepts with respect to key commitment.
 *
 * <p>A key commitment binds an object's ciphertext to exactly one data key, so that nobody holding
 * a master key can craft one ciphertext that decrypts to different plaintexts under different
 * keys. Only the V3 format carries one.
 */
public enum CommitmentPolicy {
    /**
     * Reads V3 (key-committing) objects only and rejects V2 objects; the default. The same as
     * the S3 Encryption Client's {@code REQUIRE_ENCRYPT_REQUIRE_DECRYPT} for reading.
     */
    REQUIRE_COMMITMENT,
    /**
     * Reads V3 and V2 (non-committing, but authenticated) objects, as the S3 Encryption Client's
     * {@code REQUIRE_ENCRYPT_ALLOW_DECRYPT} does. Needed for objects written by S3 Encryption
     * Client 3.x or by PHI Courier with {@link EnvelopeVersion#V2}.
     */
    ALLOW_NON_COMMITTING
}
