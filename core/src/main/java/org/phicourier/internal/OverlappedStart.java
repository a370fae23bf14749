package org.phicourier.internal;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.phicourier.spi.Sink;

/**
 * Runs the sink's checks on a thread of their own while the source is discovered and the
 * transformations bound. Both mostly wait on the network (a bucket preflight and a key check; a
 * database connection and its catalog), so a run reaches its first batch sooner, which counts
 * most for the short incremental runs that follow a source every few minutes. Neither reads a
 * record, so the sink is still prepared before anything is read.
 */
final class OverlappedStart {
    private OverlappedStart() {
    }

    /**
     * Discovers while the sink prepares, and returns what was discovered once both are done.
     * When both fail, the discovery's failure is thrown with the sink's attached as suppressed,
     * as a run that discovered first and prepared after would have failed on discovery.
     */
    static <T> T discoverWhilePreparing(Sink sink, Supplier<T> discovery) {
        FutureTask<Void> preparing = new FutureTask<>(sink::prepare, null);
        Thread thread = new Thread(preparing, "phi-courier-prepare");
        thread.setDaemon(true);
        thread.start();
        T discovered;
        try {
            discovered = discovery.get();
        } catch (RuntimeException | Error e) {
            failureOf(preparing).ifPresent(e::addSuppressed);
            throw e;
        }
        failureOf(preparing).ifPresent(OverlappedStart::rethrow);
        return discovered;
    }

    /** Waits for the preparation, which the SDK's timeouts bound, and returns its failure. */
    private static Optional<Throwable> failureOf(FutureTask<Void> preparing) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    preparing.get();
                    return Optional.empty();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return Optional.of(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) failure;
    }
}
