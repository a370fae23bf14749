package org.phicourier.http.webhook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.http.Secret;

/**
 * A webhook receiver in a process of its own, for the crash test: arguments are the spool
 * directory, the master key file, the signing secret file, and the file to write the bound port
 * to. It serves until it is killed.
 */
public final class WebhookReceiverProcess {
    private WebhookReceiverProcess() {
    }

    /**
     * Starts the receiver and blocks.
     *
     * @param args spool directory, key file, secret file, port file
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        WebhookSpool spool = WebhookSpool.open(Path.of(args[0]),
                LocalAesKeyring.fromFile(Path.of(args[1])), Duration.ofMinutes(10));
        WebhookReceiver receiver = WebhookReceiver.builder().spool(spool)
                .signingSecret(Secret.fromFile(Path.of(args[2]))).allowPlainHttp(true)
                .threads(16).build().start();
        Path portFile = Path.of(args[3]);
        Path temp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(temp, Integer.toString(receiver.address().getPort()));
        Files.move(temp, portFile, StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
