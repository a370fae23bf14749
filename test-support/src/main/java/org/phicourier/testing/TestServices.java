package org.phicourier.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Gives integration tests the servers and data they need, or skips them with a message when a
 * service is missing. Under CI ({@code CI=true}) a missing service fails the test instead: nothing
 * is skipped silently there.
 */
public final class TestServices {
    private static S3Emulator emulator;

    private TestServices() {
    }

    /**
     * Returns the emulator shared by all tests of this JVM, starting it on first use.
     *
     * @return the running emulator
     */
    public static synchronized S3Emulator emulator() {
        if (emulator == null) {
            try {
                emulator = S3Emulator.start();
            } catch (EmulatorUnavailableException e) {
                unavailable(e.getMessage());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "stop-emulator"));
        }
        return emulator;
    }

    /**
     * Returns the local PostgreSQL server when it answers.
     *
     * @return the server
     */
    public static TestDatabase postgres() {
        return available(TestDatabase.postgres());
    }

    /**
     * Returns the local MariaDB server when it answers.
     *
     * @return the server
     */
    public static TestDatabase mariadb() {
        return available(TestDatabase.mariadb());
    }

    /**
     * Returns the shared test data folder ({@code shared/data}).
     *
     * @return the folder
     */
    public static Path sharedData() {
        return SharedData.locate().orElseGet(() -> {
            unavailable("the shared test data (../shared/data beside the checkout) is absent");
            return null;
        });
    }

    private static TestDatabase available(TestDatabase database) {
        if (!database.isAvailable()) {
            unavailable(database + " does not accept connections");
        }
        return database;
    }

    /**
     * Skips the current test, or fails it under CI.
     *
     * @param why what is missing
     */
    public static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("required under CI: " + why);
        }
        Assumptions.abort("skipped: " + why);
    }
}
