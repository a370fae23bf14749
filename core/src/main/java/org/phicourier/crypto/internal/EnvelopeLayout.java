package org.phicourier.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.WrapAlgorithm;

/**
 * Places an envelope on the object or in its instruction file ({@code <key>.instruction}), as the
 * S3 Encryption Client does: for V3, {@code x-amz-c}, {@code x-amz-d} and {@code x-amz-i} stay on
 * the object and the rest moves to the file; for V2 everything moves to the file.
 *
 * <p>An instruction file is used when asked for, or when the object's user metadata would pass
 * S3's 2 KB limit. The size is counted as S3 counts it (UTF-8 bytes of names and values), with
 * the {@code x-amz-meta-} prefix included for a margin, and a KMS-wrapped key counted at no less
 * than the size of a real AWS KMS ciphertext: emulators return shorter ones, and a layout chosen
 * under an emulator must hold on AWS.
 */
public final class EnvelopeLayout {
    /** S3's limit on the user metadata of an object, in bytes. */
    public static final int USER_METADATA_LIMIT = 2048;
    /** The size of an AWS KMS ciphertext for a 256-bit data key under a symmetric KMS key. */
    public static final int KMS_CIPHERTEXT_BYTES_ON_AWS = 184;
    private static final String PREFIX = "x-amz-meta-";
    private static final List<String> V3_OBJECT_ONLY = List.of(MetadataKeys.CONTENT_CIPHER_V3,
            MetadataKeys.KEY_COMMITMENT_V3, MetadataKeys.MESSAGE_ID_V3);

    /**
     * Where the entries go.
     *
     * @param objectMetadata the user metadata of the object
     * @param instructionFile the entries of the instruction file, when one is written
     */
    public record Placement(Map<String, String> objectMetadata,
            Optional<Map<String, String>> instructionFile) {
    }

    private EnvelopeLayout() {
    }

    /**
     * Places an envelope.
     *
     * @param envelope every envelope entry
     * @param other the object's other user metadata, which always stays on it
     * @param key the wrapped data key, for the size estimate
     * @param instructionFileRequested true to use an instruction file whatever the size
     * @return the placement
     */
    public static Placement place(Map<String, String> envelope, Map<String, String> other,
            EncryptedDataKey key, boolean instructionFileRequested) {
        Map<String, String> all = new HashMap<>(other);
        all.putAll(envelope);
        if (!instructionFileRequested && estimatedBytesOnAws(all, key) <= USER_METADATA_LIMIT) {
            return new Placement(Map.copyOf(all), Optional.empty());
        }
        Map<String, String> onObject = new HashMap<>(other);
        Map<String, String> inFile = new HashMap<>(envelope);
        boolean v3 = envelope.containsKey(MetadataKeys.ENCRYPTED_DATA_KEY_V3);
        if (v3) {
            V3_OBJECT_ONLY.forEach(name -> onObject.put(name, inFile.remove(name)));
        }
        return new Placement(Map.copyOf(onObject), Optional.of(Map.copyOf(inFile)));
    }

    /**
     * Counts user metadata as S3 does, with the {@code x-amz-meta-} prefix, and a KMS-wrapped key
     * at its size on AWS.
     *
     * @param metadata the user metadata
     * @param key the wrapped key stored in it
     * @return the size in bytes
     */
    public static int estimatedBytesOnAws(Map<String, String> metadata, EncryptedDataKey key) {
        int bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            bytes += (PREFIX + entry.getKey()).getBytes(StandardCharsets.UTF_8).length
                    + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        boolean kms = key.algorithm() == WrapAlgorithm.KMS_CONTEXT
                || key.algorithm() == WrapAlgorithm.KMS;
        int stored = key.ciphertext().length;
        if (kms && stored < KMS_CIPHERTEXT_BYTES_ON_AWS) {
            bytes += base64Length(KMS_CIPHERTEXT_BYTES_ON_AWS) - base64Length(stored);
        }
        return bytes;
    }

    private static int base64Length(int bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    /**
     * Renders instruction file entries as its JSON body.
     *
     * @param entries the entries
     * @return compact JSON with sorted keys
     */
    public static byte[] instructionFileBody(Map<String, String> entries) {
        return MetadataKeys.toJson(entries).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an instruction file's JSON body.
     *
     * @param objectKey the object the file belongs to, for messages
     * @param body the file's bytes
     * @return its entries
     * @throws IntegrityException when it is not a flat JSON object of strings
     */
    public static Map<String, String> parseInstructionFile(String objectKey, byte[] body) {
        return MetadataKeys.fromJson(new String(body, StandardCharsets.UTF_8)).orElseThrow(() ->
                new IntegrityException("object '" + objectKey + "': its instruction file is not"
                        + " a JSON object of strings"));
    }

    /**
     * Returns the name of an object's instruction file.
     *
     * @param objectKey the object's key
     * @return the key of its instruction file
     */
    public static String instructionFileKey(String objectKey) {
        return objectKey + MetadataKeys.INSTRUCTION_FILE_SUFFIX;
    }

    /**
     * Tells whether an entry name belongs to an envelope (any format), so that rewriting an
     * object's metadata can keep everything else.
     *
     * @param name a user-metadata name
     * @return true for envelope entries
     */
    public static boolean isEnvelopeEntry(String name) {
        return name.startsWith("x-amz-") && !name.equals(MetadataKeys.INSTRUCTION_FILE_MARKER);
    }
}
