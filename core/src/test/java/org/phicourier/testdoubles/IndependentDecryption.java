package org.phicourier.testdoubles;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts a V3 object from its stored metadata with plain JCE and an HKDF written here from the
 * format notes, so that tests never check the library's reader against its own writer.
 */
public final class IndependentDecryption {
    /** Unwraps the stored data key into its 32 plaintext bytes. */
    @FunctionalInterface
    public interface Unwrap {
        byte[] dataKey(byte[] wrapped, Map<String, String> metadata) throws Exception;
    }

    private IndependentDecryption() {
    }

    /** Unwraps an AES-GCM wrapped data key (IV first, additional data "115"). */
    public static Unwrap localAes(byte[] masterKey) {
        return (wrapped, metadata) -> {
            Cipher unwrap = Cipher.getInstance("AES/GCM/NoPadding");
            unwrap.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterKey, "AES"),
                    new GCMParameterSpec(128, wrapped, 0, 12));
            unwrap.updateAAD("115".getBytes(StandardCharsets.UTF_8));
            return unwrap.doFinal(wrapped, 12, wrapped.length - 12);
        };
    }

    /**
     * Decrypts a body, checking the key commitment first.
     *
     * @throws AssertionError when the commitment does not match
     */
    public static byte[] decrypt(Map<String, String> metadata, byte[] body, Unwrap unwrap)
            throws Exception {
        if (!"115".equals(metadata.get("x-amz-c"))) {
            throw new AssertionError("not a V3 object: " + metadata.keySet());
        }
        byte[] dataKey = unwrap.dataKey(Base64.getDecoder().decode(metadata.get("x-amz-3")),
                metadata);
        byte[] messageId = Base64.getDecoder().decode(metadata.get("x-amz-i"));
        byte[] commitment = Arrays.copyOf(hkdf(dataKey, messageId, "COMMITKEY"), 28);
        if (!Base64.getEncoder().encodeToString(commitment).equals(metadata.get("x-amz-d"))) {
            throw new AssertionError("key commitment does not match");
        }
        byte[] contentKey = Arrays.copyOf(hkdf(dataKey, messageId, "DERIVEKEY"), 32);
        byte[] iv = new byte[12];
        Arrays.fill(iv, (byte) 1);
        Cipher content = Cipher.getInstance("AES/GCM/NoPadding");
        content.init(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey, "AES"),
                new GCMParameterSpec(128, iv));
        content.updateAAD(new byte[] {0x00, 0x73});
        return content.doFinal(body);
    }

    /** HKDF-SHA512 (RFC 5869): the first 64-byte output block, enough for both outputs. */
    private static byte[] hkdf(byte[] inputKey, byte[] salt, String label)
            throws GeneralSecurityException {
        Mac extract = Mac.getInstance("HmacSHA512");
        extract.init(new SecretKeySpec(salt, "HmacSHA512"));
        byte[] pseudoRandomKey = extract.doFinal(inputKey);
        Mac expand = Mac.getInstance("HmacSHA512");
        expand.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA512"));
        expand.update(new byte[] {0x00, 0x73});
        expand.update(label.getBytes(StandardCharsets.US_ASCII));
        expand.update((byte) 1);
        return expand.doFinal();
    }
}
