package org.phicourier.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;

class LocalRsaKeyringTest {
    private static KeyPair keys;
    private static final byte[] DATA_KEY = new byte[32];

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws Exception {
        keys = pair(2048);
        Arrays.fill(DATA_KEY, (byte) 9);
    }

    private static KeyPair pair(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    @ParameterizedTest
    @EnumSource(EnvelopeVersion.class)
    void encryptDataKey_isOaepSha1OverLengthKeyAndSuiteName(EnvelopeVersion version)
            throws Exception {
        LocalRsaKeyring keyring = LocalRsaKeyring.builder().publicKey(keys.getPublic()).build();

        EncryptedDataKey wrapped = keyring.encryptDataKey(DATA_KEY, version.suite(), Map.of());

        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, keys.getPrivate(), new OAEPParameterSpec("SHA-1", "MGF1",
                MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
        byte[] pseudoKey = oaep.doFinal(wrapped.ciphertext());
        assertThat(wrapped.algorithm()).isEqualTo(WrapAlgorithm.RSA_OAEP_SHA1);
        assertThat(pseudoKey[0]).isEqualTo((byte) 32);
        assertThat(Arrays.copyOfRange(pseudoKey, 1, 33)).isEqualTo(DATA_KEY);
        assertThat(new String(pseudoKey, 33, pseudoKey.length - 33, StandardCharsets.UTF_8))
                .isEqualTo(version.suite().cipherName());
    }

    @Test
    void decryptDataKey_otherSuiteThanWrapped_isAnIntegrityError() throws Exception {
        LocalRsaKeyring keyring = LocalRsaKeyring.fromPem(pkcs8Pem(keys));
        EncryptedDataKey wrapped = keyring.encryptDataKey(DATA_KEY,
                AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF, Map.of());

        assertThatThrownBy(() -> keyring.decryptDataKey(wrapped,
                AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, Map.of()))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("altered");
    }

    @Test
    void fromPem_pkcs8PrivateKey_roundTrips() throws Exception {
        LocalRsaKeyring keyring = LocalRsaKeyring.fromPem(pkcs8Pem(keys));

        assertThat(roundTrip(keyring)).isEqualTo(DATA_KEY);
    }

    @Test
    void fromPem_pkcs1PrivateKey_roundTrips() throws Exception {
        LocalRsaKeyring keyring = LocalRsaKeyring.fromPem(pkcs1Pem(keys));

        assertThat(roundTrip(keyring)).isEqualTo(DATA_KEY);
    }

    @Test
    void fromPem_publicKey_wrapsButCannotUnwrap() throws Exception {
        LocalRsaKeyring keyring = LocalRsaKeyring.fromPem(pem("PUBLIC KEY",
                keys.getPublic().getEncoded()));
        EncryptedDataKey wrapped = keyring.encryptDataKey(DATA_KEY,
                AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, Map.of());

        assertThat(keyring.canDecrypt(WrapAlgorithm.RSA_OAEP_SHA1)).isFalse();
        assertThatThrownBy(() -> keyring.decryptDataKey(wrapped,
                AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("public key");
    }

    @Test
    void fromPem_encryptedKey_isRefusedWithoutQuotingIt() throws Exception {
        Path file = pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> LocalRsaKeyring.fromPem(file))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("encrypted")
                .hasMessageContaining(file.toString()).hasMessageNotContaining("AQID");
    }

    @Test
    void fromPem_noKeyBlock_namesTheFile() throws Exception {
        Path file = dir.resolve("notes.pem");
        Files.writeString(file, "secret text that is not a key");

        assertThatThrownBy(() -> LocalRsaKeyring.fromPem(file))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("notes.pem")
                .hasMessageNotContaining("secret text");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 1536})
    void build_keyBelow2048Bits_isRefused(int bits) throws Exception {
        KeyPair small = pair(bits);

        assertThatThrownBy(() -> LocalRsaKeyring.builder().publicKey(small.getPublic()).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("2048 to 4096")
                .hasMessageContaining(Integer.toString(bits));
    }

    @Test
    void build_4096BitKey_roundTrips() throws Exception {
        KeyPair large = pair(4096);

        assertThat(roundTrip(LocalRsaKeyring.builder().privateKey(large.getPrivate())
                .publicKey(large.getPublic()).build())).isEqualTo(DATA_KEY);
    }

    @Test
    void toString_showsTheFingerprintOnly() throws Exception {
        LocalRsaKeyring keyring = LocalRsaKeyring.fromPem(pkcs8Pem(keys));
        String modulus = ((RSAPrivateCrtKey) keys.getPrivate()).getModulus().toString(16);

        assertThat(keyring.toString()).startsWith("LocalRsaKeyring[local-rsa:")
                .doesNotContain(modulus.substring(0, 16));
        assertThat(keyring.keyId()).matches("local-rsa:[0-9a-f]{16}");
    }

    private static byte[] roundTrip(LocalRsaKeyring keyring) {
        EncryptedDataKey wrapped = keyring.encryptDataKey(DATA_KEY,
                AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, Map.of());
        return keyring.decryptDataKey(wrapped, AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
                Map.of());
    }

    private Path pkcs8Pem(KeyPair pair) throws IOException {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    private Path pkcs1Pem(KeyPair pair) throws IOException {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) pair.getPrivate();
        byte[] der = new RSAPrivateKey(key.getModulus(), key.getPublicExponent(),
                key.getPrivateExponent(), key.getPrimeP(), key.getPrimeQ(),
                key.getPrimeExponentP(), key.getPrimeExponentQ(), key.getCrtCoefficient())
                .getEncoded();
        return pem("RSA PRIVATE KEY", der);
    }

    private Path pem(String type, byte[] der) throws IOException {
        Path file = Files.createTempFile(dir, "key", ".pem");
        Files.writeString(file, "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n");
        return file;
    }
}
