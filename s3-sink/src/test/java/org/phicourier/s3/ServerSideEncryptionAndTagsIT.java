package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phicourier.Pipeline;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/** SSE-KMS with a bucket key on top of client-side encryption, and object tags. */
class ServerSideEncryptionAndTagsIT {
    private static final Schema SCHEMA = Schema.of(Field.of("n", FieldType.INT64),
            Field.of("noise", FieldType.BINARY));
    private static final int MIB = 1024 * 1024;

    private static S3Emulator emulator;
    private static S3Client s3;
    private static Keyring keyring;

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        byte[] master = new byte[32];
        new Random(9).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    private static List<Row> rows(int count, int noise) {
        Random random = new Random(count);
        return IntStream.rangeClosed(1, count).mapToObj(i -> {
            byte[] bytes = new byte[noise];
            random.nextBytes(bytes);
            return Row.of(SCHEMA, (long) i, bytes);
        }).toList();
    }

    private static Written write(int count) {
        String bucket = emulator.createBucket("ssekms");
        String kmsKey = emulator.createKmsKey();
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).keyring(keyring)
                .partSize(5 * MIB).serverSideKmsKey(kmsKey).objectTag("classification", "phi")
                .streamTag("stream").allowPlainHttp(true).build();
        String key = Pipeline.from(new ListSource(1_000).stream("patients", SCHEMA,
                rows(count, 300))).to(sink).build().run().stream("patients").objectKeys().get(0);
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
        Map<String, String> tags = s3.getObjectTagging(r -> r.bucket(bucket).key(key)).tagSet()
                .stream().collect(Collectors.toMap(Tag::key, Tag::value));
        return new Written(kmsKey, head, tags);
    }

    private record Written(String kmsKey, HeadObjectResponse head, Map<String, String> tags) {
    }

    /** 10 rows make a single PUT; 30,000 rows of 300 random bytes make a multipart object. */
    @ParameterizedTest
    @ValueSource(ints = {10, 30_000})
    void run_sseKmsAndTags_everyObjectCarriesTheKmsKeyAndTags(int count) {
        Written written = write(count);

        assertThat(written.head().serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(written.head().ssekmsKeyId()).contains(written.kmsKey());
        assertThat(written.tags()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "classification", "phi", "stream", "patients"));
    }

    /** Single PUT only: moto does not keep the bucket-key flag of multipart uploads. */
    @org.junit.jupiter.api.Test
    void run_sseKms_bucketKeyEnabledByDefault() {
        assertThat(write(10).head().bucketKeyEnabled()).isTrue();
    }
}
