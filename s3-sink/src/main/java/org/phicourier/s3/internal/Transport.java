package org.phicourier.s3.internal;

import java.net.URI;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import software.amazon.awssdk.services.s3.S3Client;

/** Refuses plain-HTTP S3 endpoints unless the caller opted in. */
public final class Transport {
    private Transport() {
    }

    /**
     * Checks a client's endpoint.
     *
     * @param s3 the client
     * @param allowPlainHttp the caller's opt-in
     * @param what the component being built, for the message
     * @throws ConfigurationException when the endpoint is plain HTTP and not allowed
     */
    public static void check(S3Client s3, boolean allowPlainHttp, String what) {
        Optional<URI> endpoint = s3.serviceClientConfiguration().endpointOverride();
        if (endpoint.isPresent() && "http".equalsIgnoreCase(endpoint.get().getScheme())
                && !allowPlainHttp) {
            throw new ConfigurationException(what + ": S3 endpoint " + endpoint.get()
                    + " is plain HTTP; use HTTPS, or call allowPlainHttp(true) for a local"
                    + " emulator");
        }
    }
}
