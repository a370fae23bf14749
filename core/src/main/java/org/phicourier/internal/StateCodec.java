package org.phicourier.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.StoredObject;

/**
 * Writes a {@link StateDocument} as JSON and reads it back, refusing a document of a newer
 * format version or one that is not a well-formed state. Record values in bookmarks are sealed by
 * a {@link BookmarkSeal}; everything else in the document is names, numbers and times.
 */
final class StateCodec {
    static final String FORMAT = "phi-courier-state";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BookmarkSeal seal;
    private final String store;
    /** The last sealed form of each stream's bookmark, so an unchanged one is not sealed again. */
    private final Map<String, Map.Entry<Bookmark, JsonNode>> sealed = new HashMap<>();

    /**
     * Creates a codec.
     *
     * @param seal encrypts and decrypts bookmark values
     * @param store names the state store in messages
     */
    StateCodec(BookmarkSeal seal, String store) {
        this.seal = seal;
        this.store = store;
    }

    byte[] encode(StateDocument document) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", StateDocument.FORMAT_VERSION);
        root.put("epoch", document.epoch);
        root.put("runId", document.runId);
        root.put("runStartedAt", document.runStartedAt.toString());
        root.put("runOpen", document.runOpen);
        root.put("updatedAt", document.updatedAt.toString());
        ObjectNode streams = root.putObject("streams");
        document.streams.forEach((name, stream) -> streams.set(name, encode(name, stream)));
        if (!document.schemas.isEmpty()) {
            ObjectNode schemas = root.putObject("schemas");
            document.schemas.forEach((name, stored) -> schemas.putObject(name)
                    .put("version", stored.version())
                    .set("schema", org.phicourier.schema.SchemaJson.toJson(stored.schema())));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the state", e);
        }
    }

    private ObjectNode encode(String name, StreamState stream) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mode", stream.mode.name());
        node.put("method", stream.method);
        node.put("schemaVersion", stream.schemaVersion);
        node.put("runId", stream.runId);
        node.put("generation", stream.generation);
        node.put("generationStartedAt", stream.generationStartedAt.toString());
        node.put("complete", stream.complete);
        node.put("nextSequence", stream.nextSequence);
        node.put("passStartSequence", stream.passStartSequence);
        stream.bookmark.ifPresent(bookmark -> node.set("bookmark", encode(name, bookmark)));
        stream.supersedes.forEach(node.putArray("supersedes")::add);
        ArrayNode committed = node.putArray("committed");
        for (StoredObject object : stream.committed) {
            committed.addObject().put("key", object.key()).put("sequence", object.sequence())
                    .put("records", object.records()).put("bytes", object.bytes())
                    .put("checksum", object.checksum())
                    .put("schemaVersion", object.schemaVersion());
        }
        stream.retired.forEach(node.putArray("retired")::add);
        return node;
    }

    private ObjectNode encode(String stream, Bookmark bookmark) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode attributes = node.putObject("attributes");
        bookmark.attributes().forEach(attributes::put);
        Row values = bookmark.values();
        if (values.size() > 0) {
            ArrayNode fields = node.putArray("fields");
            for (Field field : values.schema().fields()) {
                fields.addObject().put("name", field.name()).put("type", field.type().name())
                        .put("nullable", field.nullable());
            }
            node.set("sealed", sealed(stream, bookmark));
        }
        return node;
    }

    private JsonNode sealed(String stream, Bookmark bookmark) {
        Map.Entry<Bookmark, JsonNode> last = sealed.get(stream);
        if (last != null && last.getKey().equals(bookmark)) {
            return last.getValue();
        }
        JsonNode fresh = seal.seal(stream, bookmark.values());
        sealed.put(stream, Map.entry(bookmark, fresh));
        return fresh;
    }

    /**
     * Reads a document.
     *
     * @throws ConfigurationException when a newer version wrote it
     * @throws IntegrityException when it is not a well-formed state
     */
    StateDocument decode(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw corrupted("it is not JSON");
        }
        checkFormat(root);
        try {
            return document(root);
        } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
            throw corrupted("a value has the wrong form (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void checkFormat(JsonNode root) {
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw corrupted("it is not a PHI Courier state document");
        }
        JsonNode version = root.path("formatVersion");
        if (!version.isInt() || version.intValue() < 1) {
            throw corrupted("its format version is missing");
        }
        if (version.intValue() > StateDocument.FORMAT_VERSION) {
            throw new ConfigurationException("state " + store + " was written by a newer version"
                    + " of PHI Courier (state format " + version.intValue() + "; this version"
                    + " reads format " + StateDocument.FORMAT_VERSION + "); upgrade, or point"
                    + " the pipeline at another state. The state was left as it is");
        }
    }

    private StateDocument document(JsonNode root) {
        StateDocument document = new StateDocument();
        document.epoch = number(root, "epoch");
        document.runId = text(root, "runId");
        document.runStartedAt = Instant.parse(text(root, "runStartedAt"));
        document.runOpen = flag(root, "runOpen");
        document.updatedAt = Instant.parse(text(root, "updatedAt"));
        JsonNode streams = object(root, "streams");
        for (Map.Entry<String, JsonNode> entry : streams.properties()) {
            document.streams.put(entry.getKey(), stream(entry.getKey(), entry.getValue()));
        }
        for (Map.Entry<String, JsonNode> entry : root.path("schemas").properties()) {
            JsonNode stored = entry.getValue();
            document.schemas.put(entry.getKey(), new StateDocument.StoredSchema(
                    (int) number(stored, "version"),
                    org.phicourier.schema.SchemaJson.fromJson(object(stored, "schema"))));
        }
        return document;
    }

    private StreamState stream(String name, JsonNode node) {
        StreamState stream = new StreamState();
        stream.mode = ReplicationMode.valueOf(text(node, "mode"));
        stream.method = text(node, "method");
        stream.schemaVersion = text(node, "schemaVersion");
        stream.runId = text(node, "runId");
        stream.generation = number(node, "generation");
        stream.generationStartedAt = Instant.parse(text(node, "generationStartedAt"));
        stream.complete = flag(node, "complete");
        stream.nextSequence = number(node, "nextSequence");
        stream.passStartSequence = number(node, "passStartSequence");
        if (node.has("bookmark")) {
            stream.bookmark = Optional.of(bookmark(name, object(node, "bookmark")));
        }
        node.path("supersedes").forEach(g -> stream.supersedes.add(g.asLong()));
        for (JsonNode object : node.path("committed")) {
            stream.committed.add(new StoredObject(text(object, "key"),
                    number(object, "sequence"), number(object, "records"),
                    number(object, "bytes"), object.path("checksum").asText(""),
                    object.path("schemaVersion").asText("")));
        }
        node.path("retired").forEach(g -> stream.retired.add(g.asLong()));
        return stream;
    }

    private Bookmark bookmark(String stream, JsonNode node) {
        Map<String, String> attributes = new HashMap<>();
        object(node, "attributes").properties().forEach(e ->
                attributes.put(e.getKey(), e.getValue().asText()));
        if (!node.has("fields")) {
            return Bookmark.of(attributes);
        }
        List<Field> fields = new ArrayList<>();
        for (JsonNode field : node.path("fields")) {
            fields.add(Field.builder(text(field, "name"),
                    FieldType.valueOf(text(field, "type")))
                    .nullable(flag(field, "nullable")).build());
        }
        JsonNode sealedValues = object(node, "sealed");
        Bookmark bookmark = Bookmark.of(attributes, seal.open(stream, Schema.of(fields),
                sealedValues));
        sealed.put(stream, Map.entry(bookmark, sealedValues));
        return bookmark;
    }

    private String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw corrupted("'" + name + "' is missing or not text");
        }
        return value.textValue();
    }

    private long number(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw corrupted("'" + name + "' is missing or not a whole number");
        }
        return value.longValue();
    }

    private boolean flag(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isBoolean()) {
            throw corrupted("'" + name + "' is missing or not true/false");
        }
        return value.booleanValue();
    }

    private JsonNode object(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isObject()) {
            throw corrupted("'" + name + "' is missing or not an object");
        }
        return value;
    }

    private IntegrityException corrupted(String why) {
        return new IntegrityException("state " + store + " is corrupted: " + why
                + "; it was left as it is. Restore it from a backup, or point the pipeline at"
                + " a new state to start over");
    }

    @Override
    public String toString() {
        return "StateCodec[" + store + "]";
    }
}
