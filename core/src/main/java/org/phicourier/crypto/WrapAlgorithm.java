package org.phicourier.crypto;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a data key is wrapped, with the names the Amazon S3 Encryption Client stores for it.
 *
 * <p>The first three are current and are written; the others are legacy wraps, read only and
 * only when a reader allows legacy key wraps explicitly.
 */
public enum WrapAlgorithm {
    /** AES-256-GCM under a local master key. */
    AES_GCM("02", "AES/GCM", false),
    /** AWS KMS with an encryption context. */
    KMS_CONTEXT("12", "kms+context", false),
    /** RSA-OAEP with SHA-1 and MGF1-SHA-1 under a local key pair. */
    RSA_OAEP_SHA1("22", "RSA-OAEP-SHA1", false),
    /** Legacy: AES key wrap (RFC 3394) under a local master key. */
    AES_WRAP("", "AESWrap", true),
    /** Legacy: AES in ECB mode with PKCS#5 padding, V1 objects that name no wrap algorithm. */
    AES_ECB("", "AES", true),
    /** Legacy: RSA with PKCS#1 v1.5 padding, V1 objects that name no wrap algorithm. */
    RSA_PKCS1("", "RSA", true),
    /** Legacy: RSA-OAEP with SHA-256 and MGF1-SHA-1 padding, as the JDK names it. */
    RSA_OAEP_SHA256("", "RSA/ECB/OAEPWithSHA-256AndMGF1Padding", true),
    /** Legacy: AWS KMS without the reserved content-algorithm context entry. */
    KMS("", "kms", true);

    private final String v3Code;
    private final String v2Name;
    private final boolean legacy;

    WrapAlgorithm(String v3Code, String v2Name, boolean legacy) {
        this.v3Code = v3Code;
        this.v2Name = v2Name;
        this.legacy = legacy;
    }

    /**
     * Returns the two-digit code stored in {@code x-amz-w} by the V3 format.
     *
     * @return the code; empty for legacy wraps, which V3 cannot store
     */
    public String v3Code() {
        return v3Code;
    }

    /**
     * Returns the name stored in {@code x-amz-wrap-alg} by the V1 and V2 formats.
     *
     * @return the name
     */
    public String v2Name() {
        return v2Name;
    }

    /**
     * Tells whether this is a legacy wrap, read only behind an explicit opt-in.
     *
     * @return true for legacy wraps
     */
    public boolean isLegacy() {
        return legacy;
    }

    /**
     * Finds a current algorithm by its V3 code.
     *
     * @param code the stored code
     * @return the algorithm, when the code is known
     */
    public static Optional<WrapAlgorithm> fromV3Code(String code) {
        return Arrays.stream(values()).filter(a -> !a.legacy && a.v3Code.equals(code))
                .findFirst();
    }

    /**
     * Finds an algorithm by its V1/V2 name.
     *
     * @param name the stored name
     * @return the algorithm, when the name is known
     */
    public static Optional<WrapAlgorithm> fromV2Name(String name) {
        return Arrays.stream(values()).filter(a -> a.v2Name.equals(name)).findFirst();
    }
}
