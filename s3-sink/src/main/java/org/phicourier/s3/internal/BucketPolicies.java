package org.phicourier.s3.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a bucket policy for the statement that refuses requests without TLS: effect Deny, every
 * principal, every S3 action, the bucket and all its objects, on condition
 * {@code Bool} (or {@code BoolIfExists}) {@code aws:SecureTransport = false}.
 */
public final class BucketPolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BucketPolicies() {
    }

    /**
     * Tells whether a policy denies every request to the bucket made without TLS.
     *
     * @param policy the policy JSON
     * @param bucket the bucket name
     * @return true when one statement does; false also for a policy that cannot be parsed
     */
    public static boolean deniesInsecureTransport(String policy, String bucket) {
        try {
            JsonNode root = JSON.readTree(policy);
            for (JsonNode statement : asList(root.path("Statement"))) {
                if (deniesInsecure(statement, bucket)) {
                    return true;
                }
            }
            return false;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static boolean deniesInsecure(JsonNode statement, String bucket) {
        return "Deny".equals(statement.path("Effect").asText())
                && everyone(statement.path("Principal"))
                && values(statement.path("Action")).stream()
                        .anyMatch(a -> a.equals("*") || a.equalsIgnoreCase("s3:*"))
                && coversBucketAndObjects(values(statement.path("Resource")), bucket)
                && insecureTransportCondition(statement.path("Condition"));
    }

    private static boolean everyone(JsonNode principal) {
        return principal.isTextual() && principal.asText().equals("*")
                || values(principal.path("AWS")).contains("*");
    }

    private static boolean coversBucketAndObjects(List<String> resources, String bucket) {
        String arn = "arn:aws:s3:::" + bucket;
        boolean all = resources.contains("*");
        return all || resources.contains(arn) && resources.contains(arn + "/*");
    }

    private static boolean insecureTransportCondition(JsonNode condition) {
        for (String operator : List.of("Bool", "BoolIfExists")) {
            for (Map.Entry<String, JsonNode> entry : condition.path(operator).properties()) {
                if (entry.getKey().equalsIgnoreCase("aws:SecureTransport")
                        && values(entry.getValue()).stream()
                                .anyMatch(v -> v.toLowerCase(Locale.ROOT).equals("false"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<JsonNode> asList(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(list::add);
        } else if (node.isObject()) {
            list.add(node);
        }
        return list;
    }

    private static List<String> values(JsonNode node) {
        List<String> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> list.add(n.asText()));
        } else if (node.isValueNode()) {
            list.add(node.asText());
        }
        return list;
    }
}
