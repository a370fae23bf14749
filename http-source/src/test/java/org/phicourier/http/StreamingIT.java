package org.phicourier.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.StreamReader;
import org.phicourier.testing.LoopbackServer;

/** Records are handed out while the response is still arriving: no page is held whole. */
class StreamingIT {
    @Test
    void next_pageStillArriving_returnsTheFirstBatchBeforeTheBodyEnds() throws Exception {
        CountDownLatch firstBatchRead = new CountDownLatch(1);
        try (LoopbackServer server = LoopbackServer.start()) {
            server.route("/big", (request, reply) -> {
                try (OutputStream out = reply.stream(200, "application/json")) {
                    out.write("{\"data\":[".getBytes(StandardCharsets.UTF_8));
                    for (int i = 0; i < 2000; i++) {
                        out.write(((i == 0 ? "" : ",") + "{\"i\":" + i + ",\"pad\":\""
                                + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                    if (!firstBatchRead.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the client waited for the whole body");
                    }
                    out.write("]}".getBytes(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            RestSource source = RestSource.builder().baseUrl(server.uri("/"))
                    .http(HttpOptions.builder().allowPlainHttp(true).build())
                    .stream(RestStream.builder("big").path("/big").recordsAt("/data").build())
                    .batchSize(100).build();

            int rows = 0;
            try (StreamReader reader = source.open(source.discover().get(0))) {
                RowBatch first = reader.next().orElseThrow();
                firstBatchRead.countDown();
                rows += first.size();
                for (var batch = reader.next(); batch.isPresent(); batch = reader.next()) {
                    rows += batch.get().size();
                }
            }

            assertThat(rows).isEqualTo(2000);
        }
    }
}
