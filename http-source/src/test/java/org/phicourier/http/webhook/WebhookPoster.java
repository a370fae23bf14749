package org.phicourier.http.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Sends signed events the way a webhook sender does, for tests. */
final class WebhookPoster {
    static final String SECRET = "whsec-7Hq2-Lm9P-test-only";

    private final HttpClient client;

    WebhookPoster() {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    WebhookPoster(HttpClient client) {
        this.client = client;
    }

    /** One event, signed once, so that a resend carries the same signature. */
    record Signed(int seq, byte[] body, long timestamp, String signature) {
        static Signed of(int seq, String json, String secret, Instant at) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            long timestamp = at.getEpochSecond();
            return new Signed(seq, body, timestamp,
                    WebhookSignature.sign(secret, timestamp, body));
        }

        static Signed event(int seq) {
            return of(seq, body(seq), SECRET, Instant.now());
        }

        static String body(int seq) {
            return "{\"seq\":" + seq + ",\"type\":\"lab-result\",\"patient\":{\"name\":"
                    + "\"Zebulon Quux-" + seq + "\",\"mrn\":\"MRN-77" + seq + "\"},\"value\":"
                    + "1.50}";
        }
    }

    /**
     * Posts an event.
     *
     * @return the status code
     */
    int post(URI uri, Signed event) throws IOException, InterruptedException {
        return post(uri, event, "application/json");
    }

    int post(URI uri, Signed event, String contentType)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("X-Timestamp", Long.toString(event.timestamp()))
                .header("X-Signature", event.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body())).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
