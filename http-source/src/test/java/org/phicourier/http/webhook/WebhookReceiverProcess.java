package org.phicourier.http.webhook;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.http.Secret;
import org.phicourier.s3.S3Sink;
import org.phicourier.state.FileStateStore;
import org.phicourier.testing.S3Emulator;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A webhook receiver in a process of its own, for the crash test, that also drains its spool
 * into S3 in a loop, as an embedding application would: arguments are the spool directory, the
 * master key file, the signing secret file, the file to write the bound port to, the emulator
 * endpoint, the bucket and the state file. It serves and drains until it is killed.
 */
public final class WebhookReceiverProcess {
    private WebhookReceiverProcess() {
    }

    /**
     * Starts the receiver and drains until killed.
     *
     * @param args spool directory, key file, secret file, port file, endpoint, bucket, state
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        LocalAesKeyring keyring = LocalAesKeyring.fromFile(Path.of(args[1]));
        WebhookSpool spool = WebhookSpool.open(Path.of(args[0]), keyring, Duration.ofMinutes(10));
        WebhookReceiver receiver = WebhookReceiver.builder().spool(spool)
                .signingSecret(Secret.fromFile(Path.of(args[2]))).allowPlainHttp(true)
                .threads(16).build().start();
        Path portFile = Path.of(args[3]);
        Path temp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(temp, Integer.toString(receiver.address().getPort()));
        Files.move(temp, portFile, StandardCopyOption.ATOMIC_MOVE);
        try (S3Client s3 = S3Emulator.attach(URI.create(args[4])).s3Client()) {
            while (true) {
                RunReport report = drain(spool, keyring, s3, args[5], Path.of(args[6]));
                System.out.println("drained " + report.recordsWritten());
                // Let events gather, so that one drain writes several objects.
                Thread.sleep(150);
            }
        }
    }

    /**
     * Runs one drain: small batches and objects, so that a kill lands between commits.
     *
     * @param spool the spool
     * @param keyring encrypts objects and state
     * @param s3 the client
     * @param bucket the bucket
     * @param state the state file
     * @return the report
     */
    static RunReport drain(WebhookSpool spool, LocalAesKeyring keyring, S3Client s3,
            String bucket, Path state) {
        return Pipeline.from(WebhookSource.builder().spool(spool).batchSize(7)
                .maxEventsPerRun(200).build())
                .to(S3Sink.builder().s3Client(s3).bucket(bucket).prefix("events")
                        .keyring(keyring).maxRecordsPerObject(20).allowPlainHttp(true).build())
                .state(FileStateStore.of(state), keyring).build().run();
    }
}
