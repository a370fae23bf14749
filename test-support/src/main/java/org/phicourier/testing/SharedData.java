package org.phicourier.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the team's shared test data: the {@code shared/} folder beside the checkout, or the folder
 * named by the environment variable {@code PHI_COURIER_SHARED_DIR}.
 */
public final class SharedData {
    private SharedData() {
    }

    /**
     * Finds the {@code shared/data} folder.
     *
     * @return the folder, when it exists
     */
    public static Optional<Path> locate() {
        String configured = System.getenv("PHI_COURIER_SHARED_DIR");
        if (configured != null && !configured.isBlank()) {
            Path data = Path.of(configured).resolve("data");
            return Files.isDirectory(data) ? Optional.of(data) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path data = dir.resolve("shared").resolve("data");
            if (Files.isRegularFile(data.resolve("README.md"))) {
                return Optional.of(data);
            }
        }
        return Optional.empty();
    }
}
