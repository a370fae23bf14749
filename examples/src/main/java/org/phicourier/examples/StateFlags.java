package org.phicourier.examples;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.phicourier.s3.S3StateStore;
import org.phicourier.state.FileStateStore;
import org.phicourier.state.StateStore;

/**
 * The flags that {@code jdbc-to-s3} and {@code fhir-to-s3} share for keeping a pipeline's state:
 * {@code --state-file F} or {@code --state-uri s3://bucket/key}, at most one of them.
 */
final class StateFlags {
    static final String FILE = "--state-file";
    static final String URI_FLAG = "--state-uri";

    private StateFlags() {
    }

    /** Refuses both flags at once. */
    static void checkAtMostOne(CommandLine line) {
        if (line.has(FILE) && line.has(URI_FLAG)) {
            throw new UsageException(line.command() + ": give at most one of " + FILE + ", "
                    + URI_FLAG);
        }
    }

    /** Tells whether either flag is given. */
    static boolean given(CommandLine line) {
        return line.has(FILE) || line.has(URI_FLAG);
    }

    /** Opens the state store the flags name, if any. */
    static Optional<StateStore> store(CommandLine line, AwsClients aws) {
        Optional<String> file = line.value(FILE);
        if (file.isPresent()) {
            return Optional.of(FileStateStore.of(Path.of(file.get())));
        }
        return line.value(URI_FLAG).map(address -> {
            URI uri;
            try {
                uri = URI.create(address);
            } catch (IllegalArgumentException e) {
                throw new UsageException(line.command() + ": " + URI_FLAG + " '" + address
                        + "' is not a URI");
            }
            return S3StateStore.of(aws.s3(), uri, aws.plainHttp());
        });
    }
}
