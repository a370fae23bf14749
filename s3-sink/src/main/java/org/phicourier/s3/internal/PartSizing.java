package org.phicourier.s3.internal;

import java.util.Optional;

/**
 * Chooses the multipart part size from the largest object a sink may write, so that an object of
 * that size needs at most {@value #TARGET_PARTS} parts: a fifth of S3's limit of
 * {@value EncryptedObjectUpload#MAX_PARTS}, which leaves room for objects that run past their
 * limit by a batch. Parts stay within S3's 5 MiB minimum and, as Java arrays, under 2 GiB (S3
 * would take 5 GiB).
 */
public final class PartSizing {
    /** The part count an object of the maximum size is sized for. */
    public static final int TARGET_PARTS = 2_000;
    /** The most parts an explicitly chosen part size may need for the maximum object. */
    public static final int MAX_PLANNED_PARTS = EncryptedObjectUpload.MAX_PARTS / 2;
    /** S3's smallest part (all but the last). */
    public static final int MIN_PART = 5 * 1024 * 1024;
    /** The default and smallest computed part size. */
    public static final int DEFAULT_PART = 8 * 1024 * 1024;
    /** The largest part a Java array holds comfortably, in whole MiB. */
    public static final int MAX_PART = 2047 * 1024 * 1024;
    private static final long MIB = 1024 * 1024;

    private PartSizing() {
    }

    /**
     * Computes the part size for a maximum object size: 8 MiB, or more in whole MiB when an
     * object of that size would otherwise need more than {@value #TARGET_PARTS} parts.
     *
     * @param maxObjectBytes the largest object, at least 1
     * @return the part size in bytes, a multiple of 1 MiB
     */
    public static int forMaxObject(long maxObjectBytes) {
        long perPart = ceilDiv(maxObjectBytes, TARGET_PARTS);
        long mib = ceilDiv(perPart, MIB) * MIB;
        return (int) Math.min(MAX_PART, Math.max(DEFAULT_PART, mib));
    }

    /**
     * Tells how many parts an object of the maximum size needs.
     *
     * @param maxObjectBytes the largest object
     * @param partSize the part size
     * @return the part count
     */
    public static long partsFor(long maxObjectBytes, int partSize) {
        return ceilDiv(maxObjectBytes, partSize);
    }

    /**
     * Tells what is wrong with a part size the caller chose, if anything.
     *
     * @param maxObjectBytes the largest object
     * @param partSize the chosen part size
     * @return the problem, or nothing when it fits
     */
    public static Optional<String> problem(long maxObjectBytes, int partSize) {
        long parts = partsFor(maxObjectBytes, partSize);
        if (parts > MAX_PLANNED_PARTS) {
            return Optional.of("maxBytesPerObject would need " + parts + " parts of partSize,"
                    + " more than " + MAX_PLANNED_PARTS + " (S3 allows "
                    + EncryptedObjectUpload.MAX_PARTS + "); raise partSize or leave it unset");
        }
        return Optional.empty();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
