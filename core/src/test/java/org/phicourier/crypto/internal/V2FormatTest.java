package org.phicourier.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.LocalAesKeyring;

/** The V2 writer, checked against a decryption written here with plain JCE from the notes. */
class V2FormatTest {
    private static final byte[] MASTER = new byte[32];
    private static final LocalAesKeyring KEYRING = LocalAesKeyring.of(MASTER);
    private static final ReadPolicy ALLOW_V2 =
            new ReadPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING, false, false);

    private record Encrypted(Map<String, String> metadata, byte[] body) {
    }

    private static Encrypted encrypt(byte[] plaintext) throws Exception {
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(KEYRING, Map.of(),
                EnvelopeVersion.V2);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (EncryptingOutputStream out = new EncryptingOutputStream(body, encryption.cipher())) {
            out.write(plaintext);
        }
        return new Encrypted(encryption.metadata(), body.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 1234, 4096})
    void encrypt_isReadableByAnIndependentJceDecryption(int size) throws Exception {
        byte[] plaintext = new byte[size];
        new Random(size).nextBytes(plaintext);

        Encrypted encrypted = encrypt(plaintext);

        assertThat(encrypted.metadata).containsEntry("x-amz-cek-alg", "AES/GCM/NoPadding")
                .containsEntry("x-amz-wrap-alg", "AES/GCM").containsEntry("x-amz-tag-len", "128")
                .containsEntry("x-amz-matdesc", "{}").doesNotContainKey("x-amz-3");
        assertThat(independentDecrypt(encrypted)).isEqualTo(plaintext);
    }

    @Test
    void decrypt_allowingNonCommitting_roundTrips() throws Exception {
        byte[] plaintext = "v2 round trip".getBytes(StandardCharsets.UTF_8);
        Encrypted encrypted = encrypt(plaintext);
        ContentMetadata envelope = ContentMetadata.parse("k", encrypted.metadata,
                Optional.empty());

        EnvelopeDecryption decryption = EnvelopeDecryption.open(envelope, KEYRING, Map.of(),
                ALLOW_V2);
        try (DecryptingInputStream in = new DecryptingInputStream(
                new ByteArrayInputStream(encrypted.body), decryption.newCipher(), "k")) {
            assertThat(in.readAllBytes()).isEqualTo(plaintext);
        }
    }

    @Test
    void open_strictPolicy_refusesV2() throws Exception {
        Encrypted encrypted = encrypt(new byte[3]);

        assertThatThrownBy(() -> EnvelopeDecryption.open("k", encrypted.metadata, KEYRING,
                Map.of())).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("commitment policy check");
    }

    private static byte[] independentDecrypt(Encrypted encrypted) throws Exception {
        byte[] wrapped = Base64.getDecoder().decode(encrypted.metadata.get("x-amz-key-v2"));
        Cipher unwrap = Cipher.getInstance("AES/GCM/NoPadding");
        unwrap.init(Cipher.DECRYPT_MODE, new SecretKeySpec(MASTER, "AES"),
                new GCMParameterSpec(128, wrapped, 0, 12));
        unwrap.updateAAD("AES/GCM/NoPadding".getBytes(StandardCharsets.UTF_8));
        byte[] dataKey = unwrap.doFinal(wrapped, 12, wrapped.length - 12);
        byte[] iv = Base64.getDecoder().decode(encrypted.metadata.get("x-amz-iv"));
        Cipher content = Cipher.getInstance("AES/GCM/NoPadding");
        content.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"),
                new GCMParameterSpec(128, iv));
        byte[] plaintext = content.doFinal(encrypted.body);
        Arrays.fill(dataKey, (byte) 0);
        return plaintext;
    }
}
