package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.BucketCompliance.Requirement;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;

/** The bucket compliance preflight against buckets set up on the emulator. */
class BucketPreflightIT {
    private static final Schema SCHEMA = Schema.of(Field.of("n", FieldType.INT64));

    private static S3Emulator emulator;
    private static S3Client s3;
    private static Keyring keyring;

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        byte[] master = new byte[32];
        new Random(7).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    private static S3Sink.Builder sink(String bucket) {
        return S3Sink.builder().s3Client(s3).bucket(bucket).keyring(keyring)
                .allowPlainHttp(true);
    }

    private static ListSource source() {
        return new ListSource(10).stream("patients", SCHEMA,
                List.of(Row.of(SCHEMA, 1L), Row.of(SCHEMA, 2L)));
    }

    private static BucketCompliance check(String bucket) {
        return BucketPreflight.builder().s3Client(s3).bucket(bucket).allowPlainHttp(true)
                .build().run();
    }

    @Test
    void prepare_publicAccessAllowed_refusedNamingTheFinding() {
        String bucket = emulator.createBucket("public");
        s3.deletePublicAccessBlock(r -> r.bucket(bucket));
        ListSource source = source();

        assertThatThrownBy(() -> Pipeline.from(source).to(sink(bucket).build()).build().run())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bucket '" + bucket + "' is not fit for PHI")
                .hasMessageContaining("PUBLIC_ACCESS_BLOCKED")
                .hasMessageNotContaining("DEFAULT_ENCRYPTION");
        assertThat(source.opened()).isEmpty();
    }

    @Test
    void prepare_publicAccessPartlyBlocked_refusedNamingTheFinding() {
        String bucket = emulator.createBucket("partly");
        s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(false)
                .restrictPublicBuckets(true)));

        assertThat(check(bucket).findings()).extracting(BucketCompliance.Finding::requirement)
                .containsExactly(Requirement.PUBLIC_ACCESS_BLOCKED);
    }

    @Test
    void prepare_noDefaultEncryption_refusedNamingTheFinding() {
        String bucket = emulator.createBucket("unencrypted");
        s3.deleteBucketEncryption(r -> r.bucket(bucket));

        assertThatThrownBy(() -> Pipeline.from(source()).to(sink(bucket).build()).build().run())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("DEFAULT_ENCRYPTION")
                .hasMessageNotContaining("PUBLIC_ACCESS_BLOCKED");
    }

    @Test
    void run_bareBucket_namesEveryFinding() {
        String bucket = emulator.createBareBucket("bare");

        assertThat(check(bucket).findings()).extracting(BucketCompliance.Finding::requirement)
                .containsExactly(Requirement.PUBLIC_ACCESS_BLOCKED,
                        Requirement.DEFAULT_ENCRYPTION, Requirement.VERSIONING);
    }

    @Test
    void run_compliantBucketWithTlsPolicy_compliantWithNothingWaived() {
        String bucket = emulator.createBucket("compliant");
        emulator.requireTls(bucket);

        BucketCompliance result = check(bucket);

        assertThat(result.compliant()).isTrue();
        assertThat(result.findings()).isEmpty();
        assertThat(result.waived()).isEmpty();
    }

    @Test
    void run_plainHttpClientAndNoTlsPolicy_tlsRequirementWaived() {
        String bucket = emulator.createBucket("emulator");

        BucketCompliance result = check(bucket);

        assertThat(result.compliant()).isTrue();
        assertThat(result.waived()).extracting(BucketCompliance.Finding::requirement)
                .containsExactly(Requirement.TLS_REQUIRED);
    }

    @Test
    void run_compliantBucket_sinkWritesAndReadsBack() {
        String bucket = emulator.createBucket("writes");

        RunReport report = Pipeline.from(source()).to(sink(bucket).build()).build().run();

        assertThat(report.stream("patients").recordsWritten()).isEqualTo(2);
    }

    @Test
    void checkBucket_bareBucket_reportsWithoutWriting() {
        String bucket = emulator.createBareBucket("checkonly");

        BucketCompliance result = sink(bucket).build().checkBucket();

        assertThat(result.compliant()).isFalse();
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void prepare_allowNoncompliantBucket_writes() {
        String bucket = emulator.createBareBucket("allowed");

        RunReport report = Pipeline.from(source())
                .to(sink(bucket).allowNoncompliantBucket(true).build()).build().run();

        assertThat(report.stream("patients").recordsWritten()).isEqualTo(2);
    }

    @Test
    void run_bucketOfAnotherAccount_refusedNamingTheOwner() {
        String bucket = emulator.createBucket("owner");
        try (S3Client checked = ownerCheckingClient()) {
            BucketCompliance result = BucketPreflight.builder().s3Client(checked).bucket(bucket)
                    .expectedOwner("111122223333").allowPlainHttp(true).build().run();

            assertThat(result.findings()).singleElement().satisfies(f -> {
                assertThat(f.requirement()).isEqualTo(Requirement.EXPECTED_OWNER);
                assertThat(f.detail()).contains("111122223333");
            });
        }
    }

    @Test
    void run_bucketOfTheExpectedAccount_passes() {
        String bucket = emulator.createBucket("owner");
        try (S3Client checked = ownerCheckingClient()) {
            assertThat(BucketPreflight.builder().s3Client(checked).bucket(bucket)
                    .expectedOwner(MOTO_ACCOUNT).allowPlainHttp(true).build().run().compliant())
                    .isTrue();
        }
    }

    private static final String MOTO_ACCOUNT = "123456789012";

    /**
     * A client whose HeadBucket fails with 403 when the expected owner is not the emulator's
     * account, as S3 answers; moto ignores {@code x-amz-expected-bucket-owner}.
     */
    private static S3Client ownerCheckingClient() {
        return S3Client.builder().endpointOverride(emulator.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials
                        .StaticCredentialsProvider.create(software.amazon.awssdk.auth.credentials
                                .AwsBasicCredentials.create("test", "test")))
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new OwnerCheckAsOnAws()))
                .build();
    }

    private static final class OwnerCheckAsOnAws implements ExecutionInterceptor {
        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                ExecutionAttributes attributes) {
            String owner = context.httpRequest()
                    .firstMatchingHeader("x-amz-expected-bucket-owner").orElse(MOTO_ACCOUNT);
            return owner.equals(MOTO_ACCOUNT) ? context.httpResponse()
                    : context.httpResponse().toBuilder().statusCode(403).build();
        }
    }

    @Test
    void toJson_bareBucket_listsRequirementsAndDetails() throws Exception {
        String bucket = emulator.createBareBucket("json");

        JsonNode json = new ObjectMapper().readTree(check(bucket).toJson());

        assertThat(json.get("bucket").asText()).isEqualTo(bucket);
        assertThat(json.get("compliant").asBoolean()).isFalse();
        assertThat(json.get("findings").get(2).get("requirement").asText())
                .isEqualTo("VERSIONING");
        assertThat(json.get("findings").get(2).get("detail").asText()).isNotBlank();
    }
}
