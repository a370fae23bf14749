package org.phicourier.crypto;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a data key is wrapped, with the codes the Amazon S3 Encryption Client stores for it.
 */
public enum WrapAlgorithm {
    /** AES-256-GCM under a local master key. */
    AES_GCM("02", "AES/GCM"),
    /** AWS KMS with an encryption context. */
    KMS_CONTEXT("12", "kms+context"),
    /** RSA-OAEP with SHA-1 and MGF1-SHA-1 under a local key pair. */
    RSA_OAEP_SHA1("22", "RSA-OAEP-SHA1");

    private final String v3Code;
    private final String v2Name;

    WrapAlgorithm(String v3Code, String v2Name) {
        this.v3Code = v3Code;
        this.v2Name = v2Name;
    }

    /**
     * Returns the two-digit code stored in {@code x-amz-w} by the V3 format.
     *
     * @return the code
     */
    public String v3Code() {
        return v3Code;
    }

    /**
     * Returns the name stored in {@code x-amz-wrap-alg} by the V2 format.
     *
     * @return the name
     */
    public String v2Name() {
        return v2Name;
    }

    /**
     * Finds an algorithm by its V3 code.
     *
     * @param code the stored code
     * @return the algorithm, when the code is known
     */
    public static Optional<WrapAlgorithm> fromV3Code(String code) {
        return Arrays.stream(values()).filter(a -> a.v3Code.equals(code)).findFirst();
    }
}
