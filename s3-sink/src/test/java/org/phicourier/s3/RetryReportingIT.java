package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.phicourier.metrics.RunListener;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Retries of a real S3 client, provoked by an endpoint that refuses connections. */
class RetryReportingIT {
    @Test
    void beforeTransmission_endpointRefuses_reportsEachRetryWithItsOperation() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> retries = new CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void onRetry(String operation, int attempt) {
                retries.add(operation + "#" + attempt);
            }
        };
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + port)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(
                        RetryReporting.to(listener))).build()) {

            assertThatThrownBy(() -> s3.headBucket(r -> r.bucket("nowhere")))
                    .isInstanceOf(SdkClientException.class);
        }

        assertThat(retries).isNotEmpty().startsWith("s3.HeadBucket#2");
    }
}
