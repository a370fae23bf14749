package org.phicourier.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.s3.KmsKeyring;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3Sink;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.encryption.s3.S3EncryptionClient;

/** Objects that the S3 sink writes are read by S3 Encryption Client 4.0.1 with defaults. */
class S3EncryptionClientReadsOurObjectsIT {
    private static final byte[] MASTER_KEY = new byte[32];
    private static S3Emulator emulator;
    private static S3Client s3;
    private static KmsClient kms;
    private static String bucket;

    @BeforeAll
    static void startEmulator() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        kms = emulator.kmsClient();
        bucket = emulator.createBucket("interop");
        MASTER_KEY[0] = 42;
    }

    @AfterAll
    static void closeClients() {
        s3.close();
        kms.close();
    }

    @Test
    void localAesKey_objectIsReadByS3ec4WithDefaults() throws IOException {
        String key = writeOneObject(LocalAesKeyring.of(MASTER_KEY), 2_000);

        try (S3Client s3ec = s3ec()
                .aesKey(new SecretKeySpec(MASTER_KEY, "AES")).build()) {
            byte[] body = s3ec.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();

            assertThat(gunzip(body)).isEqualTo(ourPlaintext(LocalAesKeyring.of(MASTER_KEY), key));
        }
    }

    @Test
    void kmsKey_objectIsReadByS3ec4WithItsEncryptionContext() throws IOException {
        String kmsKey = emulator.createKmsKey();
        Keyring keyring = KmsKeyring.builder().kmsClient(kms).keyId(kmsKey).build();
        String key = writeOneObject(keyring, 2_000);
        Map<String, String> context = Map.of(S3Sink.CONTEXT_BUCKET, bucket,
                S3Sink.CONTEXT_KEY, key, S3Sink.CONTEXT_STREAM, "events");

        try (S3Client s3ec = s3ec()
                .keyring(software.amazon.encryption.s3.materials.KmsKeyring.builder()
                        .kmsClient(kms).wrappingKeyId(kmsKey).build()).build()) {
            ResponseBytes<GetObjectResponse> body = s3ec.getObjectAsBytes(r -> r.bucket(bucket)
                    .key(key).overrideConfiguration(
                            S3EncryptionClient.withAdditionalConfiguration(context)));

            assertThat(gunzip(body.asByteArray())).isEqualTo(ourPlaintext(keyring, key));
        }
    }

    @Test
    void multipartObject_isReadByS3ec4() throws IOException {
        // Random bytes compress poorly, so 50,000 rows make an object of three 5 MiB parts.
        String key = writeOneObject(LocalAesKeyring.of(MASTER_KEY), 50_000);
        long size = s3.headObject(r -> r.bucket(bucket).key(key)).contentLength();
        assertThat(size).isGreaterThan(10L * 1024 * 1024);

        try (S3Client s3ec = s3ec().aesKey(new SecretKeySpec(MASTER_KEY, "AES"))
                .build()) {
            byte[] body = s3ec.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();

            assertThat(gunzip(body)).isEqualTo(ourPlaintext(LocalAesKeyring.of(MASTER_KEY), key));
        }
    }

    /** S3EC closes the clients it wraps, so each gets its own. */
    private static S3EncryptionClient.Builder s3ec() {
        S3AsyncClient async = S3AsyncClient.builder().endpointOverride(emulator.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials
                        .AwsBasicCredentials.create("test", "test"))
                .forcePathStyle(true).build();
        return S3EncryptionClient.builderV4().wrappedClient(emulator.s3Client())
                .wrappedAsyncClient(async);
    }

    private static String writeOneObject(Keyring keyring, int rows) {
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).prefix("interop")
                .keyring(keyring).partSize(5 * 1024 * 1024).allowPlainHttp(true).build();
        RunReport report = Pipeline.from(new GeneratedRows(rows)).to(sink).build().run();
        return report.stream("events").objectKeys().get(0);
    }

    private static byte[] ourPlaintext(Keyring keyring, String key) throws IOException {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        try (InputStream in = reader.openContent(bucket, key)) {
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** One stream of rows with pseudo-random text, generated as read. */
    private static final class GeneratedRows implements Source {
        private static final Schema SCHEMA = Schema.of(Field.of("n", FieldType.INT64),
                Field.of("noise", FieldType.BINARY));
        private final int rows;

        GeneratedRows(int rows) {
            this.rows = rows;
        }

        @Override
        public List<StreamDescriptor> discover() {
            return List.of(StreamDescriptor.of("events", SCHEMA));
        }

        @Override
        public StreamReader open(StreamDescriptor stream) {
            return new StreamReader() {
                private final java.util.Random random = new java.util.Random(rows);
                private long next = 1;

                @Override
                public java.util.Optional<RowBatch> next() {
                    if (next > rows) {
                        return java.util.Optional.empty();
                    }
                    List<Row> batch = new ArrayList<>();
                    long first = next;
                    while (batch.size() < 1000 && next <= rows) {
                        byte[] noise = new byte[256];
                        random.nextBytes(noise);
                        batch.add(Row.of(SCHEMA, next++, noise));
                    }
                    return java.util.Optional.of(RowBatch.of(SCHEMA, batch, first));
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
