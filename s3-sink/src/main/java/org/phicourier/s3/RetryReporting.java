package org.phicourier.s3;

import java.util.Locale;
import java.util.Objects;
import org.phicourier.metrics.RunListener;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Tells a {@link RunListener} when the S3 or KMS client retries a request
 * ({@link RunListener#onRetry}, operation {@code s3.PutObject} and the like) and when S3 asks it
 * to slow down (HTTP 503, {@link RunListener#onThrottled}). Add it to the clients the sink
 * uses; the clients belong to the caller, so the sink cannot add it itself.
 *
 * <pre>{@code
 * S3Client s3 = S3Client.builder()
 *         .overrideConfiguration(c -> c.addExecutionInterceptor(RetryReporting.to(metrics)))
 *         .build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; they report operation names only.
 */
public final class RetryReporting implements ExecutionInterceptor {
    private static final ExecutionAttribute<Integer> ATTEMPT =
            new ExecutionAttribute<>("phi-courier.attempt");

    private final RunListener listener;

    private RetryReporting(RunListener listener) {
        this.listener = listener;
    }

    /**
     * Creates the interceptor.
     *
     * @param listener hears retries and throttling, such as a Micrometer binding
     * @return the interceptor
     */
    public static RetryReporting to(RunListener listener) {
        return new RetryReporting(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context,
            ExecutionAttributes attributes) {
        Integer before = attributes.getAttribute(ATTEMPT);
        int attempt = before == null ? 1 : before + 1;
        attributes.putAttribute(ATTEMPT, attempt);
        if (attempt > 1) {
            listener.onRetry(operation(attributes), attempt);
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context,
            ExecutionAttributes attributes) {
        if (context.httpResponse().statusCode() == 503) {
            listener.onThrottled(operation(attributes));
        }
    }

    private static String operation(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return (service == null ? "aws" : service.toLowerCase(Locale.ROOT)) + "."
                + (name == null ? "unknown" : name);
    }

    @Override
    public String toString() {
        return "RetryReporting[" + listener + "]";
    }
}
