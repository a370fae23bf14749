package org.phicourier.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phicourier.interop.Fixture.BUCKET;

import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.crypto.LocalRsaKeyring;
import org.phicourier.interop.Fixture.Kind;
import org.phicourier.s3.KmsKeyring;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3ObjectWriter;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Bad input to the reader and writer: each fails with a clear error naming the object key and
 * the cause, and only failures a retry can cure are retried (by the SDK client).
 */
class BadInputIT {
    @Test
    void openContent_wrongLocalKey_failsNamingObjectAndKeyId() {
        String key = write(Kind.AES, "bad/wrong-key");
        LocalAesKeyring other = LocalAesKeyring.of(Fixture.bytes(32, 5));

        assertThatThrownBy(() -> Fixture.reader(other).build().openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining(other.keyId()).hasMessageContaining("cannot be unwrapped");
    }

    @Test
    void openContent_wrongKmsKey_failsNamingObjectAndKeyId() {
        String key = write(Kind.KMS, "bad/wrong-kms-key");
        String otherKey = Fixture.EMULATOR.createKmsKey();

        assertThatThrownBy(() -> Fixture.reader(KmsKeyring.builder().kmsClient(Fixture.KMS)
                .keyId(otherKey).build()).build().openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining(otherKey);
    }

    @Test
    void openContent_keyringOfAnotherKind_failsNamingTheWrap() {
        String key = write(Kind.KMS, "bad/other-kind");

        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES)).build()
                .openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("KMS_CONTEXT").hasMessageContaining("wrong keyring");
    }

    @Test
    void openContent_publicOnlyRsaKeyring_cannotRead() {
        String key = write(Kind.RSA, "bad/public-only");
        LocalRsaKeyring publicOnly = LocalRsaKeyring.builder()
                .publicKey(Fixture.RSA_KEYS.getPublic()).build();

        assertThatThrownBy(() -> Fixture.reader(publicOnly).build().openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("cannot unwrap");
    }

    @Test
    void openContent_missingObject_isAConfigurationError() {
        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES)).build()
                .openContent(BUCKET, "bad/no-such-object"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'bad/no-such-object' does not exist");
    }

    @Test
    void openContent_missingWrappedKey_failsNamingTheMissingEnvelope() {
        String key = write(Kind.AES, "bad/missing-wrapped-key");
        StoredObject stored = StoredObject.load(key);
        stored.metadata.remove("x-amz-3");
        stored.store(key);

        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES)).build()
                .openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("instruction file, which is missing");
    }

    @Test
    void openContent_plainObject_isNotPassedThrough() {
        Fixture.S3.putObject(r -> r.bucket(BUCKET).key("bad/plain.jsonl"),
                RequestBody.fromString("{\"ssn\":\"999-00-1234\"}\n"));

        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES)).instructionFiles(true)
                .build().openContent(BUCKET, "bad/plain.jsonl"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("bad/plain.jsonl")
                .hasMessageContaining("not encrypted").hasMessageNotContaining("999-00-1234");
    }

    @Test
    void openContent_suiteFromANewerFormat_failsSayingSo() {
        String key = write(Kind.AES, "bad/newer-suite");
        StoredObject stored = StoredObject.load(key);
        stored.metadata.put("x-amz-c", "116");
        stored.store(key);

        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES)).build()
                .openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("'116'").hasMessageContaining("newer format");
    }

    @Test
    void openContent_wrapCodeFromANewerFormat_failsSayingSo() {
        String key = write(Kind.AES, "bad/newer-wrap");
        StoredObject stored = StoredObject.load(key);
        stored.metadata.put("x-amz-w", "32");
        stored.store(key);

        assertThatThrownBy(() -> Fixture.reader(Fixture.ours(Kind.AES)).build()
                .openContent(BUCKET, key))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                .hasMessageContaining("unknown key wrapping algorithm '32'");
    }

    @Test
    void verify_disabledKmsKey_isAConfigurationError() {
        String kmsKey = Fixture.EMULATOR.createKmsKey();
        KmsKeyring keyring = KmsKeyring.builder().kmsClient(Fixture.KMS).keyId(kmsKey).build();
        Fixture.KMS.disableKey(r -> r.keyId(kmsKey));

        assertThatThrownBy(keyring::verify).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(kmsKey).hasMessageContaining("Disabled");
    }

    /** The emulator still decrypts under a disabled key, so KMS's answer comes from a stub. */
    @Test
    void openContent_disabledKmsKey_isAConfigurationErrorNamingObjectAndCause() {
        String key = write(Kind.KMS, "bad/disabled-key");
        try (KmsStub stub = new KmsStub(400, "DisabledException");
                KmsClient disabled = stub.client()) {
            S3ObjectReader reader = Fixture.reader(KmsKeyring.builder().kmsClient(disabled)
                    .keyId(Fixture.KMS_KEY).build()).build();

            assertThatThrownBy(() -> reader.openContent(BUCKET, key))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining(key)
                    .hasMessageContaining(Fixture.KMS_KEY).hasMessageContaining("Disabled");
            assertThat(stub.requests()).isEqualTo(1);
        }
    }

    @Test
    void openContent_kmsThrottling_isRetriedByTheClientThenASinkError() {
        String key = write(Kind.KMS, "bad/throttled");
        try (KmsStub stub = new KmsStub(400, "ThrottlingException");
                KmsClient throttled = stub.client()) {
            S3ObjectReader reader = Fixture.reader(KmsKeyring.builder().kmsClient(throttled)
                    .keyId(Fixture.KMS_KEY).build()).build();

            assertThatThrownBy(() -> reader.openContent(BUCKET, key))
                    .isInstanceOf(SinkException.class).hasMessageContaining(key)
                    .hasMessageContaining("ThrottlingException").hasMessageContaining("retry");
            assertThat(stub.requests()).isGreaterThan(1);
        }
    }

    @Test
    void write_kmsAccessDenied_isAConfigurationErrorAndNotRetried() {
        try (KmsStub stub = new KmsStub(400, "AccessDeniedException");
                KmsClient denied = stub.client()) {
            S3ObjectWriter writer = S3ObjectWriter.builder().s3Client(Fixture.S3)
                    .keyring(KmsKeyring.builder().kmsClient(denied).keyId("alias/denied").build())
                    .allowPlainHttp(true).build();

            assertThatThrownBy(() -> writer.openObject(BUCKET, "bad/denied"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("alias/denied").hasMessageContaining("AccessDenied");
            assertThat(stub.requests()).isEqualTo(1);
        }
    }

    @Test
    void openContent_kmsAccessDenied_failsNamingObjectAndIsNotRetried() {
        String key = write(Kind.KMS, "bad/denied-read");
        try (KmsStub stub = new KmsStub(400, "AccessDeniedException");
                KmsClient denied = stub.client()) {
            S3ObjectReader reader = Fixture.reader(KmsKeyring.builder().kmsClient(denied)
                    .keyId(Fixture.KMS_KEY).build()).build();

            assertThatThrownBy(() -> reader.openContent(BUCKET, key))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining(key)
                    .hasMessageContaining("AccessDeniedException");
            assertThat(stub.requests()).isEqualTo(1);
        }
    }

    private static String write(Kind kind, String key) {
        return Fixture.put(Fixture.writer(kind, EnvelopeVersion.V3, false), key,
                Fixture.bytes(100, 3));
    }
}
