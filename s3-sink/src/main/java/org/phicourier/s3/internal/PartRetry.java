package org.phicourier.s3.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.phicourier.SinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Retries one part upload with exponential backoff and full jitter when S3 answers 500, 502,
 * 503 (SlowDown) or 504, or the connection breaks; other failures end at once. The caller keeps
 * the part's ciphertext, so each attempt sends the same bytes and nothing is encrypted twice.
 * Retries come out of a budget shared by every part of one writer, so a bucket that keeps
 * failing ends the stream instead of retrying without end. The SDK's own retries are switched
 * off for part requests ({@link #NO_SDK_RETRIES}), so the attempts counted here are all there
 * are. Thread-safe.
 */
public final class PartRetry {
    /** A per-request plugin that turns off the SDK's retries: this class does them. */
    public static final SdkPlugin NO_SDK_RETRIES = config -> config.overrideConfiguration(
            config.overrideConfiguration().toBuilder()
                    .retryStrategy(AwsRetryStrategy.doNotRetry()).build());
    private static final Logger LOG = LoggerFactory.getLogger(PartRetry.class);
    private static final Duration MAX_DELAY = Duration.ofSeconds(20);

    private final int attempts;
    private final Duration baseDelay;
    private final int budgetSize;
    private final AtomicInteger budget;

    /**
     * Creates the policy with its own budget.
     *
     * @param attempts attempts per part, at least 1
     * @param budget retries all parts together may use
     * @param baseDelay the delay before the first retry; doubles with each further one
     */
    public PartRetry(int attempts, int budget, Duration baseDelay) {
        this.attempts = attempts;
        this.baseDelay = baseDelay;
        this.budgetSize = budget;
        this.budget = new AtomicInteger(budget);
    }

    /**
     * A policy with the sink's defaults: 6 attempts per part, 100 retries per writer, 100 ms
     * before the first retry.
     *
     * @return a new policy with a full budget
     */
    public static PartRetry standard() {
        return new PartRetry(6, 100, Duration.ofMillis(100));
    }

    /**
     * Returns a policy with the same settings and a full budget of its own.
     *
     * @return the copy
     */
    public PartRetry fresh() {
        return new PartRetry(attempts, budgetSize, baseDelay);
    }

    /**
     * Runs a part request until it succeeds, fails for good, or runs out of attempts or budget.
     *
     * @param <T> the result
     * @param call the request; each call sends the same bytes
     * @param where names bucket, key and part for the error, never content
     * @return the request's result
     * @throws SinkException naming {@code where} when the part cannot be stored
     */
    public <T> T run(Supplier<T> call, Supplier<String> where) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (!retryable(e)) {
                    throw failure(where, attempt, e, "not retryable");
                }
                if (attempt >= attempts) {
                    throw failure(where, attempt, e, "no attempts left");
                }
                if (budget.getAndDecrement() <= 0) {
                    throw failure(where, attempt, e, "retry budget exhausted");
                }
                LOG.warn("{}: attempt {} failed ({}), retrying", where.get(), attempt,
                        describe(e));
                sleep(delay(attempt), where);
            }
        }
    }

    /**
     * Tells whether a failure is worth another attempt with the same bytes.
     *
     * @param e the failure
     * @return true for 500, 502, 503, 504 and broken connections
     */
    static boolean retryable(SdkException e) {
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            return status == 500 || status == 502 || status == 503 || status == 504;
        }
        if (e instanceof SdkClientException) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Full jitter: a random delay up to the exponential bound, so retries spread out. */
    private Duration delay(int attempt) {
        long bound = Math.min(MAX_DELAY.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1,
                20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound + 1));
    }

    private static void sleep(Duration delay, Supplier<String> where) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException(where.get() + ": interrupted while waiting to retry");
        }
    }

    private static SinkException failure(Supplier<String> where, int attempt, SdkException e,
            String why) {
        return new SinkException(where.get() + ": upload failed after " + attempt
                + (attempt == 1 ? " attempt (" : " attempts (") + why + "): " + describe(e), e);
    }

    /** Status and error code or exception type only: S3 messages never carry content. */
    static String describe(SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : " "
                    + s3.awsErrorDetails().errorCode();
            return "HTTP " + s3.statusCode() + code;
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + (root == e ? "" : " caused by "
                + root.getClass().getSimpleName());
    }

    @Override
    public String toString() {
        return "PartRetry[attempts=" + attempts + ", baseDelay=" + baseDelay + ", budgetLeft="
                + budget.get() + "]";
    }
}
