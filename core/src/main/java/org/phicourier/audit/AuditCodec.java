package org.phicourier.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.phicourier.IntegrityException;

/**
 * The canonical JSON of audit events and their hashes. Canonical means: fixed member order
 * (sequence, type, runId, actor, time, details by name, previousHash, hash), no whitespace, UTF-8,
 * so the same event always hashes the same on every machine.
 */
final class AuditCodec {
    // Parse errors must never quote the line they failed on.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private AuditCodec() {
    }

    static String toJson(AuditEvent event, boolean withHash) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sequence", event.sequence());
        node.put("type", event.type().name());
        node.put("runId", event.runId());
        node.put("actor", event.actor());
        node.put("time", event.time().toString());
        ObjectNode details = node.putObject("details");
        event.details().forEach((name, value) -> putDetail(details, name, value));
        node.put("previousHash", event.previousHash());
        if (withHash) {
            node.put("hash", event.hash());
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putDetail(ObjectNode details, String name, Object value) {
        if (value instanceof String text) {
            details.put(name, text);
        } else if (value instanceof Boolean flag) {
            details.put(name, flag);
        } else {
            details.put(name, ((Number) value).longValue());
        }
    }

    /** Returns the SHA-256, in hex, of the event's canonical JSON without its own hash. */
    static String hash(AuditEvent event) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] json = toJson(event, false).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(digest.digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static AuditEvent fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new AuditEvent(number(node, "sequence"),
                    AuditEvent.Type.valueOf(text(node, "type")), text(node, "runId"),
                    text(node, "actor"), Instant.parse(text(node, "time")), details(node),
                    text(node, "previousHash"), text(node, "hash"));
        } catch (JsonProcessingException e) {
            throw new IntegrityException("an audit event is not valid JSON (at column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            throw new IntegrityException("an audit event lacks a member or has a wrong type");
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("member " + name);
        }
        return value.asText();
    }

    private static long number(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("member " + name);
        }
        return value.asLong();
    }

    private static Map<String, Object> details(JsonNode node) {
        JsonNode details = node.get("details");
        if (details == null || !details.isObject()) {
            throw new IllegalArgumentException("member details");
        }
        Map<String, Object> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : details.properties()) {
            values.put(field.getKey(), value(field.getValue()));
        }
        return values;
    }

    private static Object value(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.canConvertToExactIntegral()) {
            return value.asLong();
        }
        throw new IllegalArgumentException("detail");
    }
}
