package org.phicourier.crypto;

/**
 * The metadata layouts of the Amazon S3 Encryption Client that PHI Courier writes.
 */
public enum EnvelopeVersion {
    /**
     * Key-committing AES-256-GCM with an HKDF-SHA-512 derived content key (algorithm suite 115),
     * read by default by S3 Encryption Client 4.x.
     */
    V3("115");

    private final String suiteText;

    EnvelopeVersion(String suiteText) {
        this.suiteText = suiteText;
    }

    /**
     * Returns the text that names the content algorithm to key wrapping: the additional data of
     * an AES-GCM wrap and the value of the reserved KMS context entry.
     *
     * @return the suite text, for example {@code 115}
     */
    public String suiteText() {
        return suiteText;
    }
}
