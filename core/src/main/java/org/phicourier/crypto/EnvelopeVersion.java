package org.phicourier.crypto;

/**
 * The metadata layouts of the Amazon S3 Encryption Client that PHI Courier writes. These are
 * format versions, not client versions.
 */
public enum EnvelopeVersion {
    /**
     * Key-committing AES-256-GCM (suite 115), read by default by S3 Encryption Client 4.x; the
     * default of every PHI Courier writer.
     */
    V3(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY),
    /**
     * Non-committing AES-256-GCM, for readers on S3 Encryption Client 3.x or older. S3 Encryption
     * Client 4.x reads it only when its commitment policy allows non-committing objects; so does
     * PHI Courier's reader ({@link CommitmentPolicy#ALLOW_NON_COMMITTING}).
     */
    V2(AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF);

    private final AlgorithmSuite suite;

    EnvelopeVersion(AlgorithmSuite suite) {
        this.suite = suite;
    }

    /**
     * Returns the content algorithm this format is written with.
     *
     * @return the suite
     */
    public AlgorithmSuite suite() {
        return suite;
    }
}
