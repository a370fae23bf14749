package org.phicourier.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.phicourier.ConfigurationException;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.TransformPolicy;
import org.phicourier.spi.Transformer;

/**
 * Masks records field by field: each field of each stream is kept, dropped, redacted or replaced
 * with a keyed pseudonym.
 *
 * <p>Masking fails closed. When the pipeline binds it to a stream, before any record is read, it
 * refuses a stream that has no rules, a field that has no rule, and a rule that names no field
 * (usually a typo). Field names match exactly, or ignoring ASCII case when that match is unique.
 *
 * <pre>{@code
 * MaskingTransformer masking = MaskingTransformer.builder()
 *         .pseudonymKey(PseudonymKey.fromFile("pseudonyms-2026", keyFile))
 *         .stream("patients", rules -> rules
 *                 .pseudonymize("Id", "SSN")
 *                 .redact("FIRST", "LAST")
 *                 .keep("GENDER")
 *                 .drop("ADDRESS"))
 *         .build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MaskingTransformer implements Transformer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, FieldAction>> rulesByStream;
    private final PseudonymKey pseudonymKey;

    private MaskingTransformer(Builder builder) {
        Map<String, Map<String, FieldAction>> copy = new LinkedHashMap<>();
        builder.rulesByStream.forEach((stream, rules) -> copy.put(stream, Map.copyOf(rules)));
        this.rulesByStream = Map.copyOf(copy);
        this.pseudonymKey = builder.pseudonymKey;
    }

    /**
     * Starts building a masking transformer.
     *
     * @return a builder with no rules
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads masking rules from a JSON file of this shape:
     *
     * <pre>{@code
     * {
     *   "pseudonymKey": {"id": "pseudonyms-2026", "file": "pseudonym.key"},
     *   "streams": {
     *     "patients": {"Id": "pseudonymize", "FIRST": "redact", "GENDER": "keep"}
     *   }
     * }
     * }</pre>
     *
     * <p>A relative key file path is resolved against the directory of the configuration file.
     *
     * @param file the configuration file
     * @return the transformer
     * @throws ConfigurationException when the file is missing or malformed, naming the file and
     *     the stream or field at fault
     */
    public static MaskingTransformer fromJson(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigurationException("cannot read masking configuration " + file
                    + ": it must be a JSON object");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigurationException("masking configuration " + file
                    + " must be a JSON object");
        }
        Builder builder = builder();
        readKey(file, root.path("pseudonymKey")).ifPresent(builder::pseudonymKey);
        readStreams(file, root.path("streams"), builder);
        return builder.build();
    }

    private static Optional<PseudonymKey> readKey(Path file, JsonNode node) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        String id = node.path("id").asText("");
        String keyFile = node.path("file").asText("");
        if (id.isEmpty() || keyFile.isEmpty()) {
            throw new ConfigurationException("masking configuration " + file
                    + ": pseudonymKey needs both \"id\" and \"file\"");
        }
        Path base = file.toAbsolutePath().getParent();
        return Optional.of(PseudonymKey.fromFile(id, base.resolve(keyFile)));
    }

    private static void readStreams(Path file, JsonNode streams, Builder builder) {
        if (!streams.isObject() || streams.isEmpty()) {
            throw new ConfigurationException("masking configuration " + file
                    + ": \"streams\" must map each stream name to its field rules");
        }
        for (Map.Entry<String, JsonNode> stream : streams.properties()) {
            builder.stream(stream.getKey(), rules -> readRules(file, stream, rules));
        }
    }

    private static void readRules(Path file, Map.Entry<String, JsonNode> stream,
            StreamRules rules) {
        if (!stream.getValue().isObject()) {
            throw new ConfigurationException("masking configuration " + file + ": stream '"
                    + stream.getKey() + "' must map field names to actions");
        }
        stream.getValue().properties().forEach(field -> {
            if (!field.getValue().isTextual()) {
                throw new ConfigurationException("masking configuration " + file + ": stream '"
                        + stream.getKey() + "', field '" + field.getKey()
                        + "': the action must be a string");
            }
            rules.rule(field.getKey(), FieldAction.parse(field.getValue().asText()));
        });
    }

    @Override
    public StreamTransform bind(StreamDescriptor input) {
        Map<String, FieldAction> rules = rulesByStream.get(input.name());
        if (rules == null) {
            throw new ConfigurationException("stream '" + input.name()
                    + "' has no masking rules; every field of every stream needs a rule");
        }
        return new MaskingStreamTransform(input, FieldPlan.of(input, rules), pseudonymKey);
    }

    /**
     * Names the masking rules: the hash covers every stream's field actions and the pseudonym
     * key's id, not the key.
     *
     * @return the policy
     */
    @Override
    public TransformPolicy policy() {
        Map<String, Map<String, FieldAction>> sorted = new TreeMap<>();
        rulesByStream.forEach((stream, rules) -> sorted.put(stream, new TreeMap<>(rules)));
        return TransformPolicy.hashing("masking", sorted + "|pseudonymKey="
                + (pseudonymKey == null ? "none" : pseudonymKey.id()));
    }

    @Override
    public String toString() {
        return "MaskingTransformer[streams=" + rulesByStream.keySet() + ", pseudonymKey="
                + (pseudonymKey == null ? "none" : pseudonymKey.id()) + "]";
    }

    /** Collects the rules of one stream; used inside {@link Builder#stream}. */
    public static final class StreamRules {
        private final String stream;
        private final Map<String, FieldAction> rules = new LinkedHashMap<>();

        private StreamRules(String stream) {
            this.stream = stream;
        }

        /**
         * Sets the action for a field.
         *
         * @param field the field name
         * @param action what to do with it
         * @return these rules
         * @throws ConfigurationException when the field already has a rule
         */
        public StreamRules rule(String field, FieldAction action) {
            Objects.requireNonNull(action, "action");
            if (rules.putIfAbsent(Objects.requireNonNull(field, "field"), action) != null) {
                throw new ConfigurationException("stream '" + stream + "', field '" + field
                        + "' has two masking rules");
            }
            return this;
        }

        /**
         * Keeps fields unchanged.
         *
         * @param fields field names
         * @return these rules
         */
        public StreamRules keep(String... fields) {
            return all(FieldAction.KEEP, fields);
        }

        /**
         * Drops fields from the output.
         *
         * @param fields field names
         * @return these rules
         */
        public StreamRules drop(String... fields) {
            return all(FieldAction.DROP, fields);
        }

        /**
         * Redacts fields.
         *
         * @param fields field names
         * @return these rules
         */
        public StreamRules redact(String... fields) {
            return all(FieldAction.REDACT, fields);
        }

        /**
         * Replaces fields with keyed pseudonyms.
         *
         * @param fields field names
         * @return these rules
         */
        public StreamRules pseudonymize(String... fields) {
            return all(FieldAction.PSEUDONYMIZE, fields);
        }

        private StreamRules all(FieldAction action, String... fields) {
            for (String field : fields) {
                rule(field, action);
            }
            return this;
        }
    }

    /** Builds a {@link MaskingTransformer}; mutable and not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<String, FieldAction>> rulesByStream = new LinkedHashMap<>();
        private PseudonymKey pseudonymKey;

        private Builder() {
        }

        /**
         * Sets the key for pseudonyms; required when any rule pseudonymizes.
         *
         * @param key the key
         * @return this builder
         */
        public Builder pseudonymKey(PseudonymKey key) {
            this.pseudonymKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Sets the rules of one stream.
         *
         * @param stream the stream name
         * @param rules adds the stream's rules
         * @return this builder
         * @throws ConfigurationException when the stream already has rules
         */
        public Builder stream(String stream, Consumer<StreamRules> rules) {
            StreamDescriptor.checkName(stream);
            if (rulesByStream.containsKey(stream)) {
                throw new ConfigurationException("stream '" + stream + "' has two rule sets");
            }
            StreamRules collected = new StreamRules(stream);
            rules.accept(collected);
            rulesByStream.put(stream, collected.rules);
            return this;
        }

        /**
         * Builds the transformer.
         *
         * @return the transformer
         * @throws ConfigurationException when no stream has rules, a stream has none, or a rule
         *     pseudonymizes without a key
         */
        public MaskingTransformer build() {
            if (rulesByStream.isEmpty()) {
                throw new ConfigurationException("masking needs rules for at least one stream");
            }
            rulesByStream.forEach((stream, rules) -> {
                if (rules.isEmpty()) {
                    throw new ConfigurationException("stream '" + stream + "' has no field rules");
                }
                if (pseudonymKey == null && rules.containsValue(FieldAction.PSEUDONYMIZE)) {
                    throw new ConfigurationException("stream '" + stream
                            + "' pseudonymizes fields but no pseudonym key is set");
                }
            });
            return new MaskingTransformer(this);
        }
    }
}
