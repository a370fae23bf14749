package org.phicourier.crypto;

import java.util.Arrays;
import java.util.Optional;

/**
 * The content encryption algorithms of the Amazon S3 Encryption Client formats, with the text
 * each is named by in stored metadata and in key wrapping.
 *
 * <p>Only the two GCM suites are written; the CBC suite is read only, and only when a reader
 * allows legacy content explicitly, because it does not authenticate the object.
 */
public enum AlgorithmSuite {
    /**
     * AES-256-GCM under a content key derived with HKDF-SHA-512 from the data key and a message
     * id, with a stored key commitment (suite id 115). Written in the V3 format.
     */
    AES_256_GCM_HKDF_SHA512_COMMIT_KEY("115", true, false),
    /** AES-256-GCM directly under the data key with a random 12-byte IV. Written in V2. */
    AES_256_GCM_IV12_TAG16_NO_KDF("AES/GCM/NoPadding", false, false),
    /** AES-256-CBC with PKCS#5 padding and no authentication; legacy, read only. */
    AES_256_CBC_IV16_NO_KDF("AES/CBC/PKCS5Padding", false, true);

    private final String cipherName;
    private final boolean committing;
    private final boolean legacy;

    AlgorithmSuite(String cipherName, boolean committing, boolean legacy) {
        this.cipherName = cipherName;
        this.committing = committing;
        this.legacy = legacy;
    }

    /**
     * Returns the text that names this suite: the value of {@code x-amz-c} (V3) or
     * {@code x-amz-cek-alg} (V1, V2), the additional data of an AES-GCM key wrap, the suffix of an
     * RSA-OAEP key wrap and the value of the reserved KMS context entry.
     *
     * @return the name, for example {@code 115} or {@code AES/GCM/NoPadding}
     */
    public String cipherName() {
        return cipherName;
    }

    /**
     * Tells whether objects of this suite carry a key commitment, which binds the ciphertext to
     * one data key.
     *
     * @return true for suite 115 only
     */
    public boolean isCommitting() {
        return committing;
    }

    /**
     * Tells whether this suite is unauthenticated and may only be read behind an explicit opt-in.
     *
     * @return true for AES-CBC
     */
    public boolean isLegacy() {
        return legacy;
    }

    /**
     * Finds a suite by its stored name.
     *
     * @param cipherName the stored text
     * @return the suite, when the name is known
     */
    public static Optional<AlgorithmSuite> fromCipherName(String cipherName) {
        return Arrays.stream(values()).filter(s -> s.cipherName.equals(cipherName)).findFirst();
    }
}
