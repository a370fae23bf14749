package org.phicourier.crypto.internal;

import static org.phicourier.crypto.internal.MetadataKeys.CONTENT_CIPHER;
import static org.phicourier.crypto.internal.MetadataKeys.CONTENT_CIPHER_V3;
import static org.phicourier.crypto.internal.MetadataKeys.CONTENT_IV;
import static org.phicourier.crypto.internal.MetadataKeys.ENCRYPTED_DATA_KEY_V1;
import static org.phicourier.crypto.internal.MetadataKeys.ENCRYPTED_DATA_KEY_V2;
import static org.phicourier.crypto.internal.MetadataKeys.ENCRYPTED_DATA_KEY_V3;
import static org.phicourier.crypto.internal.MetadataKeys.ENCRYPTION_CONTEXT_V3;
import static org.phicourier.crypto.internal.MetadataKeys.KEY_COMMITMENT_V3;
import static org.phicourier.crypto.internal.MetadataKeys.MATERIALS_DESCRIPTION;
import static org.phicourier.crypto.internal.MetadataKeys.MATERIALS_DESCRIPTION_V3;
import static org.phicourier.crypto.internal.MetadataKeys.MESSAGE_ID_V3;
import static org.phicourier.crypto.internal.MetadataKeys.TAG_LENGTH;
import static org.phicourier.crypto.internal.MetadataKeys.WRAP_ALGORITHM;
import static org.phicourier.crypto.internal.MetadataKeys.WRAP_ALGORITHM_V3;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.AlgorithmSuite;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.WrapAlgorithm;

/**
 * The envelope of one object, read from its metadata and, where the layout says so, its
 * instruction file: the format, the content algorithm, the wrapped data key and the values the
 * content cipher needs. Every rule of the format is checked here, and a failure names the object
 * key and the entry; values are never quoted. Immutable.
 */
public final class ContentMetadata {
    /** The metadata layouts. */
    public enum Format {
        /** Legacy layout with {@code x-amz-key}. */
        V1,
        /** Non-committing layout with {@code x-amz-key-v2}. */
        V2,
        /** Key-committing layout with {@code x-amz-3}. */
        V3
    }

    /** Where an object's envelope lives, judged from the object's own metadata. */
    public enum Location {
        /** Wholly in the object's metadata. */
        OBJECT,
        /** V3 with its key entries in the instruction file, as the object's metadata shows. */
        V3_INSTRUCTION_FILE,
        /** No envelope entries on the object: a V1/V2 instruction file, or not encrypted. */
        NONE
    }

    private static final int V2_IV_BYTES = 12;
    private static final int CBC_IV_BYTES = 16;
    private static final int LEGACY_AES_WRAP_LIMIT = 48;
    private static final List<String> V3_OBJECT_ONLY =
            List.of(CONTENT_CIPHER_V3, KEY_COMMITMENT_V3, MESSAGE_ID_V3);

    private final String objectKey;
    private final Format format;
    private final AlgorithmSuite suite;
    private final EncryptedDataKey dataKey;
    private final byte[] iv;
    private final byte[] messageId;
    private final byte[] commitment;
    private final boolean inInstructionFile;

    private ContentMetadata(Builder b) {
        this.objectKey = b.objectKey;
        this.format = b.format;
        this.suite = b.suite;
        this.dataKey = b.dataKey;
        this.iv = b.iv;
        this.messageId = b.messageId;
        this.commitment = b.commitment;
        this.inInstructionFile = b.inInstructionFile;
    }

    /**
     * Tells where an object's envelope lives.
     *
     * @param objectKey the object's key, for messages
     * @param metadata the object's user metadata
     * @return the location
     * @throws IntegrityException when the metadata mixes formats
     */
    public static Location locate(String objectKey, Map<String, String> metadata) {
        rejectCollisions(objectKey, metadata, "metadata");
        if (metadata.containsKey(ENCRYPTED_DATA_KEY_V3)
                || metadata.containsKey(ENCRYPTED_DATA_KEY_V2)
                || metadata.containsKey(ENCRYPTED_DATA_KEY_V1)) {
            return Location.OBJECT;
        }
        if (V3_OBJECT_ONLY.stream().anyMatch(metadata::containsKey)) {
            return Location.V3_INSTRUCTION_FILE;
        }
        return Location.NONE;
    }

    /**
     * Reads the envelope.
     *
     * @param objectKey the object's key, for messages
     * @param metadata the object's user metadata, without the {@code x-amz-meta-} prefix
     * @param instructionFile the instruction file's entries, when the envelope is in one
     * @return the envelope
     * @throws IntegrityException when the object is not encrypted or any rule is broken
     */
    public static ContentMetadata parse(String objectKey, Map<String, String> metadata,
            Optional<Map<String, String>> instructionFile) {
        Location location = locate(objectKey, metadata);
        if (instructionFile.isEmpty()) {
            if (location != Location.OBJECT) {
                throw notEncrypted(objectKey, location);
            }
            return fromMap(objectKey, metadata, false);
        }
        Map<String, String> file = instructionFile.get();
        if (location == Location.OBJECT) {
            return fromMap(objectKey, metadata, false);
        }
        rejectCollisions(objectKey, file, "instruction file");
        if (location == Location.V3_INSTRUCTION_FILE) {
            return fromV3InstructionFile(objectKey, metadata, file);
        }
        if (file.containsKey(ENCRYPTED_DATA_KEY_V3)) {
            throw new IntegrityException("object '" + objectKey + "': instruction file is V3 but"
                    + " the object lacks x-amz-c, x-amz-d and x-amz-i");
        }
        return fromMap(objectKey, file, true);
    }

    private static ContentMetadata fromV3InstructionFile(String objectKey,
            Map<String, String> metadata, Map<String, String> file) {
        for (String entry : V3_OBJECT_ONLY) {
            if (file.containsKey(entry)) {
                throw new IntegrityException("object '" + objectKey + "': instruction file holds "
                        + entry + ", which must stay on the object (instruction file check)");
            }
        }
        Map<String, String> merged = new HashMap<>(file);
        V3_OBJECT_ONLY.forEach(entry -> Optional.ofNullable(metadata.get(entry))
                .ifPresent(value -> merged.put(entry, value)));
        if (!merged.containsKey(ENCRYPTED_DATA_KEY_V3)) {
            throw new IntegrityException("object '" + objectKey + "': instruction file has no "
                    + ENCRYPTED_DATA_KEY_V3);
        }
        return fromMap(objectKey, merged, true);
    }

    private static IntegrityException notEncrypted(String objectKey, Location location) {
        if (location == Location.V3_INSTRUCTION_FILE) {
            return new IntegrityException("object '" + objectKey + "': its envelope is in an"
                    + " instruction file, which is missing");
        }
        return new IntegrityException("object '" + objectKey + "': object is not encrypted (no"
                + " envelope metadata and no instruction file)");
    }

    private static void rejectCollisions(String objectKey, Map<String, String> map, String where) {
        long formats = List.of(ENCRYPTED_DATA_KEY_V1, ENCRYPTED_DATA_KEY_V2, ENCRYPTED_DATA_KEY_V3)
                .stream().filter(map::containsKey).count();
        boolean v3Entries = V3_OBJECT_ONLY.stream().anyMatch(map::containsKey);
        boolean olderEntries = map.containsKey(ENCRYPTED_DATA_KEY_V1)
                || map.containsKey(ENCRYPTED_DATA_KEY_V2);
        if (formats > 1 || (v3Entries && olderEntries)) {
            throw new IntegrityException("object '" + objectKey + "': " + where
                    + " mixes envelope formats (format check)");
        }
    }

    private static ContentMetadata fromMap(String objectKey, Map<String, String> map,
            boolean inInstructionFile) {
        Fields fields = new Fields(objectKey, map);
        Builder b = new Builder(objectKey, inInstructionFile);
        if (map.containsKey(ENCRYPTED_DATA_KEY_V3)) {
            return fields.v3(b);
        }
        if (map.containsKey(ENCRYPTED_DATA_KEY_V2)) {
            return fields.v2(b);
        }
        return fields.v1(b);
    }

    /**
     * Returns the layout.
     *
     * @return V1, V2 or V3
     */
    public Format format() {
        return format;
    }

    /**
     * Returns the content algorithm.
     *
     * @return the suite
     */
    public AlgorithmSuite suite() {
        return suite;
    }

    /**
     * Returns the wrapped data key with its algorithm and description or context.
     *
     * @return the wrapped key
     */
    public EncryptedDataKey dataKey() {
        return dataKey;
    }

    /**
     * Tells whether the key entries came from an instruction file.
     *
     * @return true when they did
     */
    public boolean inInstructionFile() {
        return inInstructionFile;
    }

    /**
     * Returns the object's key.
     *
     * @return the key
     */
    public String objectKey() {
        return objectKey;
    }

    byte[] iv() {
        return iv.clone();
    }

    byte[] messageId() {
        return messageId.clone();
    }

    byte[] commitment() {
        return commitment.clone();
    }

    /**
     * Returns the whole envelope with another wrapped data key, in this object's format: what key
     * rotation stores. The content entries (message id, commitment, IV) are unchanged.
     *
     * @param newKey the data key wrapped under the new master key
     * @return every envelope entry, as if all were stored on the object
     * @throws IllegalStateException for V1 objects, which are not rewritten
     */
    public Map<String, String> envelopeWith(EncryptedDataKey newKey) {
        switch (format) {
            case V3:
                return EnvelopeEncryption.v3Entries(newKey, messageId, commitment);
            case V2:
                return EnvelopeEncryption.v2Entries(newKey, iv, suite);
            default:
                throw new IllegalStateException("V1 envelopes are not rewritten");
        }
    }

    @Override
    public String toString() {
        return "ContentMetadata[" + objectKey + ", " + format + ", " + suite + ", "
                + dataKey.algorithm() + (inInstructionFile ? ", instruction file" : "") + "]";
    }

    /** Collects the decoded entries. */
    private static final class Builder {
        final String objectKey;
        final boolean inInstructionFile;
        Format format;
        AlgorithmSuite suite;
        EncryptedDataKey dataKey;
        byte[] iv = new byte[0];
        byte[] messageId = new byte[0];
        byte[] commitment = new byte[0];

        Builder(String objectKey, boolean inInstructionFile) {
            this.objectKey = objectKey;
            this.inInstructionFile = inInstructionFile;
        }

        ContentMetadata build() {
            return new ContentMetadata(this);
        }
    }

    /** Reads and checks the entries of one map. */
    private static final class Fields {
        private final String objectKey;
        private final Map<String, String> map;

        Fields(String objectKey, Map<String, String> map) {
            this.objectKey = objectKey;
            this.map = map;
        }

        ContentMetadata v3(Builder b) {
            String suiteId = required(CONTENT_CIPHER_V3);
            b.format = Format.V3;
            b.suite = AlgorithmSuite.fromCipherName(suiteId)
                    .filter(AlgorithmSuite::isCommitting).orElseThrow(() -> newer(
                            "unsupported content algorithm suite '" + printable(suiteId) + "'"));
            String code = required(WRAP_ALGORITHM_V3);
            WrapAlgorithm wrap = WrapAlgorithm.fromV3Code(code).orElseThrow(() -> newer(
                    "unknown key wrapping algorithm '" + printable(code) + "'"));
            String descriptionEntry = wrap == WrapAlgorithm.KMS_CONTEXT
                    ? ENCRYPTION_CONTEXT_V3 : MATERIALS_DESCRIPTION_V3;
            b.dataKey = EncryptedDataKey.of(wrap, base64(ENCRYPTED_DATA_KEY_V3),
                    json(descriptionEntry));
            b.messageId = base64(MESSAGE_ID_V3, CommittingKeys.MESSAGE_ID_BYTES);
            b.commitment = base64(KEY_COMMITMENT_V3, CommittingKeys.COMMITMENT_BYTES);
            return b.build();
        }

        ContentMetadata v2(Builder b) {
            b.format = Format.V2;
            String cipher = required(CONTENT_CIPHER);
            b.suite = AlgorithmSuite.fromCipherName(cipher).filter(s -> !s.isCommitting())
                    .orElseThrow(() -> newer("unsupported content algorithm '"
                            + printable(cipher) + "'"));
            if (b.suite == AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF
                    && !"128".equals(required(TAG_LENGTH))) {
                throw check("tag length is not 128 bits (tag length check)");
            }
            String wrapName = required(WRAP_ALGORITHM);
            WrapAlgorithm wrap = WrapAlgorithm.fromV2Name(wrapName).orElseThrow(() -> newer(
                    "unknown key wrapping algorithm '" + printable(wrapName) + "'"));
            b.dataKey = EncryptedDataKey.of(wrap, base64(ENCRYPTED_DATA_KEY_V2),
                    json(MATERIALS_DESCRIPTION));
            b.iv = base64(CONTENT_IV);
            if (b.iv.length != ivLength(b.suite)) {
                throw check("metadata " + CONTENT_IV + " does not fit the content algorithm "
                        + b.suite.cipherName() + " (content algorithm check)");
            }
            return b.build();
        }

        ContentMetadata v1(Builder b) {
            b.format = Format.V1;
            b.suite = AlgorithmSuite.AES_256_CBC_IV16_NO_KDF;
            String cipher = map.getOrDefault(CONTENT_CIPHER, b.suite.cipherName());
            if (!cipher.equals(b.suite.cipherName())) {
                throw newer("unsupported content algorithm '" + printable(cipher)
                        + "' in a V1 envelope");
            }
            byte[] wrapped = base64(ENCRYPTED_DATA_KEY_V1);
            WrapAlgorithm wrap = Optional.ofNullable(map.get(WRAP_ALGORITHM))
                    .map(name -> WrapAlgorithm.fromV2Name(name).orElseThrow(() -> newer(
                            "unknown key wrapping algorithm '" + printable(name) + "'")))
                    .orElse(wrapped.length > LEGACY_AES_WRAP_LIMIT
                            ? WrapAlgorithm.RSA_PKCS1 : WrapAlgorithm.AES_ECB);
            b.dataKey = EncryptedDataKey.of(wrap, wrapped, json(MATERIALS_DESCRIPTION));
            b.iv = base64(CONTENT_IV, CBC_IV_BYTES);
            return b.build();
        }

        private static int ivLength(AlgorithmSuite suite) {
            return suite == AlgorithmSuite.AES_256_CBC_IV16_NO_KDF ? CBC_IV_BYTES : V2_IV_BYTES;
        }

        private String required(String name) {
            String value = map.get(name);
            if (value == null) {
                throw check("metadata " + name + " is missing");
            }
            return value;
        }

        private byte[] base64(String name) {
            try {
                return Base64.getDecoder().decode(required(name));
            } catch (IllegalArgumentException e) {
                throw check("metadata " + name + " is not Base64");
            }
        }

        private byte[] base64(String name, int length) {
            byte[] value = base64(name);
            if (value.length != length) {
                throw check("metadata " + name + " has the wrong length");
            }
            return value;
        }

        private Map<String, String> json(String name) {
            Optional<String> text = Optional.ofNullable(map.get(name));
            if (text.isEmpty()) {
                return Map.of();
            }
            return MetadataKeys.fromJson(text.get()).orElseThrow(() ->
                    check("metadata " + name + " is not a JSON object of strings"));
        }

        private IntegrityException check(String what) {
            return new IntegrityException("object '" + objectKey + "': " + what);
        }

        private IntegrityException newer(String what) {
            return check(what + "; it may come from a newer format than this reader knows");
        }

        private static String printable(String value) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            return shown.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? shown : "(not ASCII)";
        }
    }
}
