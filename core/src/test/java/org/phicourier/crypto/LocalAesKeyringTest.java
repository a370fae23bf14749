package org.phicourier.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;

class LocalAesKeyringTest {
    private static final byte[] MASTER = filled(32, 3);
    private static final byte[] DATA_KEY = filled(32, 4);
    private static final AlgorithmSuite V3 = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;

    private static byte[] filled(int size, int value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void decryptDataKey_otherSuiteThanWrapped_failsTheAdditionalData() {
        LocalAesKeyring keyring = LocalAesKeyring.of(MASTER);
        EncryptedDataKey wrapped = keyring.encryptDataKey(DATA_KEY, V3, Map.of());

        assertThatThrownBy(() -> keyring.decryptDataKey(wrapped,
                AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF, Map.of()))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(keyring.keyId());
    }

    @Test
    void decryptDataKey_legacyAesWrap_unwrapsRfc3394() throws Exception {
        Cipher wrap = Cipher.getInstance("AESWrap");
        wrap.init(Cipher.WRAP_MODE, new SecretKeySpec(MASTER, "AES"));
        EncryptedDataKey legacy = EncryptedDataKey.of(WrapAlgorithm.AES_WRAP,
                wrap.wrap(new SecretKeySpec(DATA_KEY, "AES")), Map.of());

        assertThat(LocalAesKeyring.of(MASTER).decryptDataKey(legacy,
                AlgorithmSuite.AES_256_CBC_IV16_NO_KDF, Map.of())).isEqualTo(DATA_KEY);
    }

    @Test
    void decryptDataKey_legacyAesEcb_unwraps() throws Exception {
        Cipher ecb = Cipher.getInstance("AES/ECB/PKCS5Padding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MASTER, "AES"));
        EncryptedDataKey legacy = EncryptedDataKey.of(WrapAlgorithm.AES_ECB,
                ecb.doFinal(DATA_KEY), Map.of());

        assertThat(LocalAesKeyring.of(MASTER).decryptDataKey(legacy,
                AlgorithmSuite.AES_256_CBC_IV16_NO_KDF, Map.of())).isEqualTo(DATA_KEY);
    }

    @Test
    void close_overwritesTheKeyAndRefusesFurtherUse() {
        LocalAesKeyring keyring = LocalAesKeyring.of(MASTER);
        keyring.close();

        assertThatThrownBy(() -> keyring.encryptDataKey(DATA_KEY, V3, Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("closed");
    }

    @Test
    void of_copiesTheCallersArray() {
        byte[] callers = MASTER.clone();
        LocalAesKeyring keyring = LocalAesKeyring.of(callers);
        EncryptedDataKey wrapped = keyring.encryptDataKey(DATA_KEY, V3, Map.of());
        Arrays.fill(callers, (byte) 0);

        assertThat(keyring.decryptDataKey(wrapped, V3, Map.of())).isEqualTo(DATA_KEY);
    }

    @Test
    void fromFile_malformed_namesTheFileNotItsContent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "c2VjcmV0LWJ1dC1zaG9ydA==");

        assertThatThrownBy(() -> LocalAesKeyring.fromFile(file))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("master.key")
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void toString_showsTheKeyIdOnly() {
        LocalAesKeyring keyring = LocalAesKeyring.of(MASTER);

        assertThat(keyring.toString()).isEqualTo("LocalAesKeyring[" + keyring.keyId() + "]")
                .doesNotContain(Base64.getEncoder().encodeToString(MASTER));
        assertThat(keyring.keyId()).matches("local-aes:[0-9a-f]{16}");
    }

    @Test
    void build_keyHandleWithoutKeyId_isRefused() {
        assertThatThrownBy(() -> LocalAesKeyring.builder()
                .keyHandle(new SecretKeySpec(MASTER, "AES")).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("keyId");
    }

    @Test
    void build_keyHandle_wrapsThroughTheHandle() {
        LocalAesKeyring handle = LocalAesKeyring.builder().keyHandle(new SecretKeySpec(MASTER,
                "AES")).keyId("hsm:slot-1/key-7").build();
        EncryptedDataKey wrapped = handle.encryptDataKey(DATA_KEY, V3, Map.of());

        assertThat(LocalAesKeyring.of(MASTER).decryptDataKey(wrapped, V3, Map.of()))
                .isEqualTo(DATA_KEY);
        assertThat(handle.keyId()).isEqualTo("hsm:slot-1/key-7");
    }

    @Test
    void description_nonAscii_isRefused() {
        assertThatThrownBy(() -> LocalAesKeyring.builder().description(Map.of("owner", "Zoë")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("ASCII")
                .hasMessageNotContaining("Zoë");
    }

    @Test
    void dataKeyAndEncryptedDataKey_toStringHideTheBytes() {
        EncryptedDataKey wrapped = LocalAesKeyring.of(MASTER).encryptDataKey(DATA_KEY, V3,
                Map.of());
        try (DataKey key = DataKey.of(DATA_KEY, wrapped)) {
            assertThat(key.toString()).isEqualTo("DataKey[AES_GCM]");
            assertThat(wrapped.toString()).isEqualTo("EncryptedDataKey[AES_GCM, 60 bytes]");
        }
    }
}
