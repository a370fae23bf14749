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
    /** V1, V2: the content IV. */
    public static final String CONTENT_IV = "x-amz-iv";
    /** V1, V2: the content algorithm name. */
    public static final String CONTENT_CIPHER = "x-amz-cek-alg";
    /** V2: the GCM tag length in bits. */
    public static final String TAG_LENGTH = "x-amz-tag-len";
    /** V1, V2: the key wrapping algorithm name. */
    public static final String WRAP_ALGORITHM = "x-amz-wrap-alg";
    /** V1, V2: the materials description or KMS encryption context. */
    public static final String MATERIALS_DESCRIPTION = "x-amz-matdesc";
    /** V1: the plaintext length. */
    public static final String UNENCRYPTED_LENGTH = "x-amz-unencrypted-content-length";
    /** The user-metadata entry that marks an instruction file. */
    public static final String INSTRUCTION_FILE_MARKER = "x-amz-crypto-instr-file";
    /** The suffix of an object's instruction file. */
    public static final String INSTRUCTION_FILE_SUFFIX = ".instruction";
    /** The legacy KMS context entry that names the key. */
    public static final String KMS_KEY_ID_CONTEXT_KEY = "kms_cmk_id";
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
