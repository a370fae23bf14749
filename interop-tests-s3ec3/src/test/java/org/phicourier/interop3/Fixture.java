package org.phicourier.interop3;

import java.io.IOException;
import java.io.InputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Random;
import javax.crypto.spec.SecretKeySpec;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.crypto.LocalRsaKeyring;
import org.phicourier.s3.KmsKeyring;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3ObjectWriter;
import org.phicourier.s3.S3Sink;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.encryption.s3.S3EncryptionClient;
import software.amazon.encryption.s3.internal.InstructionFileConfig;

/**
 * The emulator, one bucket, and master keys of every kind, shared by the interop tests of one
 * JVM, with builders for PHI Courier's writer and reader and for S3 Encryption Client 3.3.5 over
 * the same keys.
 */
final class Fixture {
    /** The keyring kinds both sides support. */
    enum Kind { AES, RSA, KMS }

    static final S3Emulator EMULATOR = TestServices.emulator();
    static final S3Client S3 = EMULATOR.s3Client();
    static final KmsClient KMS = EMULATOR.kmsClient();
    static final String BUCKET = EMULATOR.createBucket("interop");
    static final byte[] AES_KEY = bytes(32, 42);
    static final KeyPair RSA_KEYS = rsa(2048);
    static final String KMS_KEY = EMULATOR.createKmsKey();
    static final int PART = 5 * 1024 * 1024;

    private Fixture() {
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Keyring ours(Kind kind) {
        switch (kind) {
            case AES:
                return LocalAesKeyring.of(AES_KEY);
            case RSA:
                return LocalRsaKeyring.builder().privateKey(RSA_KEYS.getPrivate())
                        .publicKey(RSA_KEYS.getPublic()).build();
            default:
                return KmsKeyring.builder().kmsClient(KMS).keyId(KMS_KEY).build();
        }
    }

    static S3ObjectWriter writer(Kind kind, EnvelopeVersion version, boolean instructionFile) {
        return S3ObjectWriter.builder().s3Client(S3).keyring(ours(kind)).formatVersion(version)
                .instructionFile(instructionFile).partSize(PART).allowPlainHttp(true).build();
    }

    static S3ObjectReader.Builder reader(Keyring keyring) {
        return S3ObjectReader.builder().s3Client(S3).keyring(keyring).allowPlainHttp(true);
    }

    static String put(S3ObjectWriter writer, String key, byte[] plaintext) {
        try (var out = writer.openObject(BUCKET, key)) {
            out.write(plaintext);
            out.complete();
            return key;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The context PHI Courier's writer binds a KMS-wrapped key to. */
    static Map<String, String> context(String key) {
        return Map.of(S3Sink.CONTEXT_BUCKET, BUCKET, S3Sink.CONTEXT_KEY, key);
    }

    /** An S3 Encryption Client 4.0.1 over the given kind of key; it closes its own clients. */
    static S3EncryptionClient.Builder s3ec(Kind kind) {
        S3EncryptionClient.Builder builder = S3EncryptionClient.builder()
                .wrappedClient(EMULATOR.s3Client()).wrappedAsyncClient(async())
                .instructionFileConfig(InstructionFileConfig.builder()
                        .instructionFileClient(EMULATOR.s3Client()).build());
        switch (kind) {
            case AES:
                return builder.aesKey(new SecretKeySpec(AES_KEY, "AES"));
            case RSA:
                return builder.rsaKeyPair(RSA_KEYS);
            default:
                return builder.keyring(software.amazon.encryption.s3.materials.KmsKeyring
                        .builder().kmsClient(EMULATOR.kmsClient()).wrappingKeyId(KMS_KEY)
                        .build());
        }
    }

    /**
     * An async client for the emulator. The Netty client's {@code Expect: 100-continue} makes
     * moto answer uploads with status 100, so the header is dropped (emulator only).
     */
    static S3AsyncClient async() {
        return S3AsyncClient.builder().endpointOverride(EMULATOR.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(() -> AwsBasicCredentials.create("test", "test"))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new DropExpectContinue()))
                .forcePathStyle(true).build();
    }

    /** Removes the {@code Expect} header from every request. */
    private static final class DropExpectContinue implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().removeHeader("Expect").build();
        }
    }
}
