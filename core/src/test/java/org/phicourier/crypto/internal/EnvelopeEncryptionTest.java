package org.phicourier.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.testdoubles.IndependentDecryption;

/**
 * The V3 envelope, checked against a decryption written in the tests from the format notes with
 * plain JCE (its own HKDF), so that the library is not checked against itself.
 */
class EnvelopeEncryptionTest {
    private static final byte[] MASTER = key(7);
    private static final LocalAesKeyring KEYRING = LocalAesKeyring.of(MASTER);
    private static final String OBJECT = "exports/patients/run-00001.jsonl.gz";

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private record Encrypted(Map<String, String> metadata, byte[] body) {
    }

    private static Encrypted encrypt(byte[] plaintext) throws IOException {
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(KEYRING, Map.of());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = new EncryptingOutputStream(body, encryption.cipher())) {
            // Uneven writes cross block boundaries the way a compressor's output does.
            for (int offset = 0; offset < plaintext.length; offset += 7) {
                out.write(plaintext, offset, Math.min(7, plaintext.length - offset));
            }
        }
        return new Encrypted(encryption.metadata(), body.toByteArray());
    }

    private static byte[] plaintext(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 1234, 4096, 100_000})
    void encrypt_isReadableByAnIndependentJceDecryption(int size) throws Exception {
        byte[] plaintext = plaintext(size);

        Encrypted encrypted = encrypt(plaintext);

        assertThat(encrypted.body).hasSize(size + 16);
        assertThat(independentDecrypt(encrypted)).isEqualTo(plaintext);
    }

    @Test
    void metadata_hasTheV3EntriesForALocalAesKey() throws Exception {
        Map<String, String> metadata = encrypt(new byte[1]).metadata;

        assertThat(metadata).containsEntry("x-amz-c", "115").containsEntry("x-amz-w", "02")
                .containsKeys("x-amz-3", "x-amz-d", "x-amz-i")
                .doesNotContainKeys("x-amz-t", "x-amz-m", "x-amz-key-v2");
        assertThat(Base64.getDecoder().decode(metadata.get("x-amz-i"))).hasSize(28);
        assertThat(Base64.getDecoder().decode(metadata.get("x-amz-d"))).hasSize(28);
    }

    @Test
    void decrypt_roundTripsThroughTheLibraryReader() throws Exception {
        byte[] plaintext = plaintext(70_000);
        Encrypted encrypted = encrypt(plaintext);

        assertThat(libraryDecrypt(encrypted.metadata, encrypted.body)).isEqualTo(plaintext);
    }

    @Test
    void decrypt_flippedBodyBit_failsTheTagCheckNamingTheObject() throws Exception {
        Encrypted encrypted = encrypt(plaintext(500));
        encrypted.body[100] ^= 1;

        assertThatThrownBy(() -> libraryDecrypt(encrypted.metadata, encrypted.body))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining(OBJECT).hasMessageContaining("authentication tag");
    }

    @Test
    void decrypt_flippedTagBit_failsTheTagCheck() throws Exception {
        Encrypted encrypted = encrypt(plaintext(500));
        encrypted.body[encrypted.body.length - 1] ^= 1;

        assertThatThrownBy(() -> libraryDecrypt(encrypted.metadata, encrypted.body))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("authentication tag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-amz-d", "x-amz-i"})
    void decrypt_flippedCommitmentOrMessageId_failsTheCommitmentCheck(String entry)
            throws Exception {
        Encrypted encrypted = encrypt(plaintext(10));
        Map<String, String> metadata = flipped(encrypted.metadata, entry);

        assertThatThrownBy(() -> libraryDecrypt(metadata, encrypted.body))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("key commitment check failed");
    }

    @Test
    void decrypt_flippedWrappedKey_failsToUnwrap() throws Exception {
        Encrypted encrypted = encrypt(plaintext(10));
        Map<String, String> metadata = flipped(encrypted.metadata, "x-amz-3");

        assertThatThrownBy(() -> libraryDecrypt(metadata, encrypted.body))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("cannot be unwrapped");
    }

    @Test
    void decrypt_wrongMasterKey_failsToUnwrapNamingTheKeyId() throws Exception {
        Encrypted encrypted = encrypt(plaintext(10));
        LocalAesKeyring other = LocalAesKeyring.of(key(8));

        assertThatThrownBy(() -> EnvelopeDecryption.open(OBJECT, encrypted.metadata, other,
                Map.of()))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(other.keyId());
    }

    @Test
    void open_plainObject_isRefusedNotPassedThrough() {
        assertThatThrownBy(() -> EnvelopeDecryption.open(OBJECT, Map.of(), KEYRING, Map.of()))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("not encrypted");
    }

    @Test
    void open_v2AndV3KeysTogether_isRefused() throws Exception {
        Map<String, String> metadata = new HashMap<>(encrypt(new byte[1]).metadata);
        metadata.put("x-amz-key-v2", metadata.get("x-amz-3"));

        assertThatThrownBy(() -> EnvelopeDecryption.open(OBJECT, metadata, KEYRING, Map.of()))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("mixes");
    }

    @Test
    void open_unknownSuite_isRefused() throws Exception {
        Map<String, String> metadata = new HashMap<>(encrypt(new byte[1]).metadata);
        metadata.put("x-amz-c", "116");

        assertThatThrownBy(() -> EnvelopeDecryption.open(OBJECT, metadata, KEYRING, Map.of()))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("'116'");
    }

    private static Map<String, String> flipped(Map<String, String> metadata, String entry) {
        byte[] value = Base64.getDecoder().decode(metadata.get(entry));
        value[value.length / 2] ^= 1;
        Map<String, String> copy = new HashMap<>(metadata);
        copy.put(entry, Base64.getEncoder().encodeToString(value));
        return copy;
    }

    private static byte[] libraryDecrypt(Map<String, String> metadata, byte[] body)
            throws IOException {
        EnvelopeDecryption decryption = EnvelopeDecryption.open(OBJECT, metadata, KEYRING,
                Map.of());
        try (DecryptingInputStream in = new DecryptingInputStream(
                new ByteArrayInputStream(body), decryption.newCipher(), OBJECT)) {
            return in.readAllBytes();
        }
    }

    private static byte[] independentDecrypt(Encrypted encrypted) throws Exception {
        return IndependentDecryption.decrypt(encrypted.metadata, encrypted.body,
                IndependentDecryption.localAes(MASTER));
    }
}
