package org.phicourier.s3;

/**
 * The S3 checksum each part and object carries over its ciphertext, which S3 checks on upload
 * and readers check again on download.
 */
public enum IntegrityChecksum {
    /** SHA-256: the stronger choice, and the default. */
    SHA256,
    /** CRC32C: cheaper to compute, catches transfer errors but not deliberate changes. */
    CRC32C
}
