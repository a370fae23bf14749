/**
 * PHI Courier S3 sink: encrypted, compressed JSON Lines and CSV objects in Amazon S3, the KMS
 * keyring, and the reader for objects written that way; {@code org.phicourier.s3.spi} lets an
 * optional module add a record format.
 */
module org.phicourier.s3 {
    requires transitive org.phicourier.core;
    requires transitive software.amazon.awssdk.services.s3;
    requires transitive software.amazon.awssdk.services.kms;
    requires transitive software.amazon.awssdk.core;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.utils;
    requires org.slf4j;
    requires org.bouncycastle.provider;
    requires com.github.luben.zstd_jni;

    exports org.phicourier.s3;
    exports org.phicourier.s3.spi;
}
