package org.phicourier.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketPoliciesTest {
    private static String policy(String effect, String principal, String action,
            String resources, String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect
                + "\",\"Principal\":" + principal + ",\"Action\":\"" + action
                + "\",\"Resource\":" + resources + ",\"Condition\":" + condition + "}]}";
    }

    private static final String BOTH = "[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]";
    private static final String NO_TLS = "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}";

    @Test
    void deniesInsecureTransport_standardStatement_true() {
        assertThat(BucketPolicies.deniesInsecureTransport(
                policy("Deny", "\"*\"", "s3:*", BOTH, NO_TLS), "b")).isTrue();
    }

    @Test
    void deniesInsecureTransport_awsStarPrincipalAndBoolIfExists_true() {
        assertThat(BucketPolicies.deniesInsecureTransport(policy("Deny", "{\"AWS\":\"*\"}",
                "s3:*", BOTH, "{\"BoolIfExists\":{\"aws:SecureTransport\":[\"false\"]}}"), "b"))
                .isTrue();
    }

    @Test
    void deniesInsecureTransport_allowInsteadOfDeny_false() {
        assertThat(BucketPolicies.deniesInsecureTransport(
                policy("Allow", "\"*\"", "s3:*", BOTH, NO_TLS), "b")).isFalse();
    }

    @Test
    void deniesInsecureTransport_onlyGetObject_false() {
        assertThat(BucketPolicies.deniesInsecureTransport(
                policy("Deny", "\"*\"", "s3:GetObject", BOTH, NO_TLS), "b")).isFalse();
    }

    @Test
    void deniesInsecureTransport_objectsNotCovered_false() {
        assertThat(BucketPolicies.deniesInsecureTransport(
                policy("Deny", "\"*\"", "s3:*", "\"arn:aws:s3:::b\"", NO_TLS), "b")).isFalse();
    }

    @Test
    void deniesInsecureTransport_anotherBucket_false() {
        assertThat(BucketPolicies.deniesInsecureTransport(
                policy("Deny", "\"*\"", "s3:*", BOTH, NO_TLS), "other")).isFalse();
    }

    @Test
    void deniesInsecureTransport_noTransportCondition_false() {
        assertThat(BucketPolicies.deniesInsecureTransport(policy("Deny", "\"*\"", "s3:*", BOTH,
                "{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}"), "b")).isFalse();
    }

    @Test
    void deniesInsecureTransport_notJson_false() {
        assertThat(BucketPolicies.deniesInsecureTransport("{not json", "b")).isFalse();
    }
}
