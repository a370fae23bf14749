package org.phicourier.examples;

import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Creates buckets the sink's preflight accepts: public access fully blocked, default encryption,
 * versioning, and (over HTTPS) a policy that denies requests without TLS. Over the plain HTTP of
 * a local emulator that policy is left out: the emulator would refuse this very client, and the
 * preflight waives the requirement for plain-HTTP clients.
 */
final class CompliantBuckets {
    /** The switch that lets writing commands use a bucket the preflight refuses. */
    static final String ALLOW_NONCOMPLIANT = "--allow-noncompliant-bucket";

    private CompliantBuckets() {
    }

    static void create(AwsClients aws, String bucket) {
        aws.s3().createBucket(r -> r.bucket(bucket));
        aws.s3().putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)
                .restrictPublicBuckets(true)));
        aws.s3().putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c ->
                c.rules(ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d ->
                        d.sseAlgorithm(ServerSideEncryption.AES256)).build())));
        aws.s3().putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v
                .status(BucketVersioningStatus.ENABLED)));
        if (!aws.plainHttp()) {
            aws.s3().putBucketPolicy(r -> r.bucket(bucket).policy(tlsOnly(bucket)));
        }
    }

    static String tlsOnly(String bucket) {
        String arn = "arn:aws:s3:::" + bucket;
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyRequestsWithoutTls\","
                + "\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                + "\"Resource\":[\"" + arn + "\",\"" + arn + "/*\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}";
    }
}
