package org.phicourier.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.internal.ContentCipher;
import org.phicourier.crypto.internal.EnvelopeDecryption;
import org.phicourier.crypto.internal.EnvelopeEncryption;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

/**
 * Encrypts the record values of a bookmark for the state document, and decrypts them again:
 * every save gets a fresh data key wrapped by the pipeline's keyring, in the same envelope format
 * as the objects, under an encryption context that names the stream, so a sealed bookmark moved
 * to another stream fails to open.
 */
final class BookmarkSeal {
    /** The encryption context entry that marks a sealed bookmark. */
    static final String CONTEXT_PURPOSE = "phi-courier:purpose";
    /** The encryption context entry that names the stream of a sealed bookmark. */
    static final String CONTEXT_STREAM = "phi-courier:stream";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Keyring keyring;

    BookmarkSeal(Keyring keyring) {
        this.keyring = keyring;
    }

    /** Returns {@code metadata} (the envelope) and {@code ciphertext} (Base64) of the values. */
    ObjectNode seal(String stream, Row values) {
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(keyring, context(stream));
        byte[] plaintext = TypedValues.encode(values).toString().getBytes(StandardCharsets.UTF_8);
        try {
            byte[] ciphertext = encryption.cipher().doFinal(plaintext);
            ObjectNode sealed = JSON.createObjectNode();
            ObjectNode metadata = sealed.putObject("metadata");
            new TreeMap<>(encryption.metadata()).forEach(metadata::put);
            sealed.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Decrypts values that {@link #seal} wrote.
     *
     * @throws IntegrityException when the values cannot be decrypted or decoded
     */
    Row open(String stream, Schema schema, JsonNode sealed) {
        Map<String, String> metadata = new HashMap<>();
        sealed.path("metadata").properties().forEach(e -> metadata.put(e.getKey(),
                e.getValue().asText()));
        byte[] ciphertext = Base64.getDecoder().decode(sealed.path("ciphertext").asText());
        EnvelopeDecryption decryption = EnvelopeDecryption.open(
                "bookmark of stream '" + stream + "'", metadata, keyring, context(stream));
        byte[] plaintext = new byte[0];
        try {
            plaintext = decrypt(decryption.newCipher(), ciphertext);
            return TypedValues.decode(schema, JSON.readTree(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IntegrityException("state: the bookmark of stream '" + stream
                    + "' fails its authentication check");
        } catch (IOException | IllegalArgumentException e) {
            throw new IntegrityException("state: the bookmark of stream '" + stream
                    + "' holds values that do not match its fields");
        } finally {
            decryption.destroy();
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static byte[] decrypt(ContentCipher cipher, byte[] ciphertext)
            throws GeneralSecurityException {
        byte[] out = new byte[cipher.updateOutputSize(ciphertext.length) + 32];
        try {
            int length = cipher.update(ciphertext, 0, ciphertext.length, out, 0);
            length += cipher.doFinal(out, length);
            return Arrays.copyOf(out, length);
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    private static Map<String, String> context(String stream) {
        return Map.of(CONTEXT_PURPOSE, "bookmark", CONTEXT_STREAM, stream);
    }

    @Override
    public String toString() {
        return "BookmarkSeal[" + keyring.keyId() + "]";
    }
}
