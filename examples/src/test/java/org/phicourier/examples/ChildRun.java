package org.phicourier.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One {@code jdbc-to-s3} run in a JVM of its own, which a test can kill with SIGKILL
 * ({@code kill -9}) at any moment, as an operator or the kernel would.
 */
final class ChildRun {
    private final Process process;
    private final Path output;

    private ChildRun(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildRun start(Path folder, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                // A quick start matters more than peak speed for these short runs.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Path output = folder.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return new ChildRun(process, output);
    }

    /** Waits until the condition holds or the run ends; kills it with SIGKILL if it holds. */
    boolean killWhen(BooleanSupplier condition, Duration limit) throws InterruptedException {
        return waitUntil(condition, limit) && kill();
    }

    /** Waits until the condition holds while the run goes on; false when the run ended first. */
    boolean waitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Kills the run after a delay, unless it ended before; tells whether it was killed. */
    boolean killAfter(Duration delay) throws InterruptedException {
        if (process.waitFor(delay.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        return kill();
    }

    private boolean kill() throws InterruptedException {
        // On Linux destroyForcibly sends SIGKILL: no shutdown hook, no finally block runs.
        process.destroyForcibly();
        process.waitFor();
        return true;
    }

    /** Waits for the run to end by itself and returns its exit code. */
    int await(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("the run did not end within " + limit + ":\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getClass().getSimpleName() + ")";
        }
    }
}
