package org.phicourier.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.phicourier.SinkException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class PartRetryTest {
    private static S3Exception status(int code, String error) {
        return (S3Exception) S3Exception.builder().statusCode(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(error).build()).build();
    }

    @Test
    void retryable_slowDown_true() {
        assertThat(PartRetry.retryable(status(503, "SlowDown"))).isTrue();
    }

    @Test
    void retryable_internalError_true() {
        assertThat(PartRetry.retryable(status(500, "InternalError"))).isTrue();
    }

    @Test
    void retryable_connectionReset_true() {
        SdkException reset = SdkClientException.create("failed",
                new SocketException("Connection reset"));

        assertThat(PartRetry.retryable(reset)).isTrue();
    }

    @Test
    void retryable_accessDenied_false() {
        assertThat(PartRetry.retryable(status(403, "AccessDenied"))).isFalse();
    }

    @Test
    void run_failsTwiceThenSucceeds_returnsTheResultAfterThreeCalls() {
        AtomicInteger calls = new AtomicInteger();
        PartRetry retry = new PartRetry(3, 10, Duration.ZERO);

        String result = retry.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw status(503, "SlowDown");
            }
            return "etag";
        }, () -> "part 1");

        assertThat(result).isEqualTo("etag");
        assertThat(calls).hasValue(3);
    }

    @Test
    void run_notRetryable_failsAtOnceNamingWhere() {
        PartRetry retry = new PartRetry(5, 10, Duration.ZERO);

        assertThatThrownBy(() -> retry.run(() -> {
            throw status(403, "AccessDenied");
        }, () -> "bucket 'b', object 'k', part 7"))
                .isInstanceOf(SinkException.class)
                .hasMessage("bucket 'b', object 'k', part 7: upload failed after 1 attempt (not"
                        + " retryable): HTTP 403 AccessDenied");
    }

    @Test
    void run_budgetSharedByParts_secondPartCannotRetry() {
        PartRetry retry = new PartRetry(5, 1, Duration.ZERO);
        AtomicInteger first = new AtomicInteger();
        retry.run(() -> {
            if (first.incrementAndGet() == 1) {
                throw status(503, "SlowDown");
            }
            return "ok";
        }, () -> "part 1");

        assertThatThrownBy(() -> retry.run(() -> {
            throw status(503, "SlowDown");
        }, () -> "part 2")).hasMessageContaining("part 2: upload failed after 1 attempt (retry"
                + " budget exhausted)");
    }
}
