package org.phicourier.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phicourier.interop.Fixture.BUCKET;

import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.phicourier.IntegrityException;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.interop.Fixture.Kind;
import org.phicourier.s3.S3ObjectReader;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.encryption.s3.S3EncryptionClient;

/**
 * Legacy objects (V1 AES-CBC content, legacy key wraps), built here with plain JCE from the
 * format notes and checked against S3 Encryption Client 4.0.1 with its legacy switches on: PHI
 * Courier's reader refuses them by default and reads them with its allow switches.
 */
class LegacyFormatsIT {
    private static final byte[] PLAINTEXT = Fixture.bytes(3000, 21);

    /** The legacy layouts: content algorithm and key wrap. */
    enum Legacy {
        V1_CBC_AES_ECB(Kind.AES, false, ""),
        V1_CBC_AES_WRAP(Kind.AES, false, "AESWrap"),
        V1_CBC_RSA_PKCS1(Kind.RSA, false, ""),
        V1_CBC_KMS(Kind.KMS, false, "kms"),
        V2_GCM_AES_WRAP(Kind.AES, true, "AESWrap"),
        V2_GCM_RSA_OAEP_SHA256(Kind.RSA, true, "RSA/ECB/OAEPWithSHA-256AndMGF1Padding"),
        V2_GCM_KMS(Kind.KMS, true, "kms");

        final Kind kind;
        final boolean gcm;
        final String wrap;

        Legacy(Kind kind, boolean gcm, String wrap) {
            this.kind = kind;
            this.gcm = gcm;
            this.wrap = wrap;
        }
    }

    @ParameterizedTest
    @EnumSource(Legacy.class)
    void s3ecWithLegacySwitches_readsTheHandBuiltObject(Legacy legacy) throws Exception {
        String key = store(legacy);

        try (S3EncryptionClient s3ec = legacyS3ec(legacy.kind)) {
            byte[] read = s3ec.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();

            assertThat(read).isEqualTo(PLAINTEXT);
        }
    }

    @ParameterizedTest
    @EnumSource(Legacy.class)
    void ourDefaultReader_refusesLegacyObjects(Legacy legacy) throws Exception {
        String key = store(legacy);
        S3ObjectReader reader = Fixture.reader(Fixture.ours(legacy.kind))
                .commitmentPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING).build();

        assertThatThrownBy(() -> reader.openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("legacy");
    }

    @ParameterizedTest
    @EnumSource(Legacy.class)
    void ourReaderWithLegacyAllowed_readsIdenticalBytes(Legacy legacy) throws Exception {
        String key = store(legacy);
        S3ObjectReader reader = Fixture.reader(Fixture.ours(legacy.kind))
                .commitmentPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING)
                .allowLegacyContent(true).allowLegacyKeyWraps(true).build();

        assertThat(Fixture.readAll(reader.openContent(BUCKET, key, Map.of())))
                .isEqualTo(PLAINTEXT);
    }

    private static String store(Legacy legacy) throws GeneralSecurityException {
        String key = "legacy/" + legacy;
        byte[] dataKey = Fixture.bytes(32, legacy.ordinal());
        byte[] iv = Fixture.bytes(legacy.gcm ? 12 : 16, 40 + legacy.ordinal());
        Map<String, String> metadata = new HashMap<>();
        Map<String, String> matdesc = legacy.kind == Kind.KMS
                ? Map.of("kms_cmk_id", Fixture.KMS_KEY) : Map.of();
        String wrapped = Base64.getEncoder().encodeToString(wrap(legacy, dataKey, matdesc));
        metadata.put(legacy.gcm ? "x-amz-key-v2" : "x-amz-key", wrapped);
        metadata.put("x-amz-iv", Base64.getEncoder().encodeToString(iv));
        metadata.put("x-amz-matdesc", json(matdesc));
        if (!legacy.wrap.isEmpty()) {
            metadata.put("x-amz-wrap-alg", legacy.wrap);
        }
        if (legacy.gcm) {
            metadata.put("x-amz-cek-alg", "AES/GCM/NoPadding");
            metadata.put("x-amz-tag-len", "128");
        } else {
            metadata.put("x-amz-unencrypted-content-length", Integer.toString(PLAINTEXT.length));
        }
        byte[] body = content(legacy.gcm, dataKey, iv);
        Fixture.S3.putObject(r -> r.bucket(BUCKET).key(key).metadata(metadata),
                RequestBody.fromBytes(body));
        return key;
    }

    private static byte[] wrap(Legacy legacy, byte[] dataKey, Map<String, String> matdesc)
            throws GeneralSecurityException {
        SecretKeySpec master = new SecretKeySpec(Fixture.AES_KEY, "AES");
        switch (legacy) {
            case V1_CBC_AES_ECB:
                return cipher("AES/ECB/PKCS5Padding", Cipher.ENCRYPT_MODE, master)
                        .doFinal(dataKey);
            case V1_CBC_AES_WRAP:
            case V2_GCM_AES_WRAP:
                return cipher("AESWrap", Cipher.WRAP_MODE, master)
                        .wrap(new SecretKeySpec(dataKey, "AES"));
            case V1_CBC_RSA_PKCS1:
                return cipher("RSA/ECB/PKCS1Padding", Cipher.ENCRYPT_MODE,
                        Fixture.RSA_KEYS.getPublic()).doFinal(dataKey);
            case V2_GCM_RSA_OAEP_SHA256:
                return cipher(legacy.wrap, Cipher.WRAP_MODE, Fixture.RSA_KEYS.getPublic())
                        .wrap(new SecretKeySpec(dataKey, "AES"));
            default:
                return Fixture.KMS.encrypt(r -> r.keyId(Fixture.KMS_KEY).encryptionContext(matdesc)
                        .plaintext(SdkBytes.fromByteArray(dataKey))).ciphertextBlob().asByteArray();
        }
    }

    private static Cipher cipher(String transformation, int mode, java.security.Key key)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(mode, key);
        return cipher;
    }

    private static byte[] content(boolean gcm, byte[] dataKey, byte[] iv)
            throws GeneralSecurityException {
        SecretKeySpec key = new SecretKeySpec(dataKey, "AES");
        if (gcm) {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            return cipher.doFinal(PLAINTEXT);
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        return cipher.doFinal(PLAINTEXT);
    }

    private static String json(Map<String, String> map) {
        StringBuilder json = new StringBuilder("{");
        map.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k)
                .append("\":\"").append(v).append('"'));
        return json.append('}').toString();
    }

    private static S3EncryptionClient legacyS3ec(Kind kind) {
        S3EncryptionClient.Builder builder = Fixture.s3ec(kind)
                .commitmentPolicy(software.amazon.encryption.s3.CommitmentPolicy
                        .REQUIRE_ENCRYPT_ALLOW_DECRYPT)
                .enableLegacyUnauthenticatedModes(true).enableLegacyWrappingAlgorithms(true);
        if (kind == Kind.KMS) {
            builder.keyring(software.amazon.encryption.s3.materials.KmsKeyring.builder()
                    .kmsClient(Fixture.EMULATOR.kmsClient()).wrappingKeyId(Fixture.KMS_KEY)
                    .enableLegacyWrappingAlgorithms(true).build());
        }
        return builder.build();
    }
}
