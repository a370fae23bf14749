package org.phicourier.crypto.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The user-metadata names of the S3 Encryption Client formats (without the {@code x-amz-meta-}
 * prefix that S3 adds on the wire), and the JSON encoding of the maps stored under them.
 */
public final class MetadataKeys {
    /** V3: the content algorithm suite id. */
    public static final String CONTENT_CIPHER_V3 = "x-amz-c";
    /** V3: the wrapped data key. */
    public static final String ENCRYPTED_DATA_KEY_V3 = "x-amz-3";
    /** V3: the wrapping algorithm code. */
    public static final String WRAP_ALGORITHM_V3 = "x-amz-w";
    /** V3: the key commitment. */
    public static final String KEY_COMMITMENT_V3 = "x-amz-d";
    /** V3: the message id. */
    public static final String MESSAGE_ID_V3 = "x-amz-i";
    /** V3: the materials description of a local key. */
    public static final String MATERIALS_DESCRIPTION_V3 = "x-amz-m";
    /** V3: the KMS encryption context. */
    public static final String ENCRYPTION_CONTEXT_V3 = "x-amz-t";
    /** V2: the wrapped data key. */
    public static final String ENCRYPTED_DATA_KEY_V2 = "x-amz-key-v2";
    /** V1: the wrapped data key. */
    public static final String ENCRYPTED_DATA_KEY_V1 = "x-amz-key";
    /** The reserved KMS encryption context entry naming the content algorithm. */
    public static final String RESERVED_CONTEXT_KEY = "aws:x-amz-cek-alg";

    private static final ObjectMapper JSON = new ObjectMapper();

    private MetadataKeys() {
    }

    /**
     * Encodes a flat string map as compact JSON with sorted keys.
     *
     * @param map the map
     * @return the JSON text
     */
    public static String toJson(Map<String, String> map) {
        ObjectNode node = JSON.createObjectNode();
        new TreeMap<>(map).forEach(node::put);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a string map", e);
        }
    }

    /**
     * Decodes a flat JSON object of strings; key order carries no meaning.
     *
     * @param json the JSON text
     * @return the map, or nothing when the text is not a flat object of strings
     */
    public static Optional<Map<String, String>> fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            Map<String, String> map = new HashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!entry.getValue().isTextual()) {
                    return Optional.empty();
                }
                map.put(entry.getKey(), entry.getValue().asText());
            }
            return Optional.of(map);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
