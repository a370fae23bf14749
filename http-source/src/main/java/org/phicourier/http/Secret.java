package org.phicourier.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.phicourier.ConfigurationException;

/**
 * A credential (password, token, client secret, signing secret) fetched when it is needed: from
 * an environment variable, a file or a callback of the caller, so that rotated secrets take effect
 * without a restart.
 *
 * <p>The value is read again on every {@link #get()} and never kept by this object, except for
 * {@link #of(String)}. {@link #toString()} names where the secret comes from, never the secret.
 * Instances are immutable and thread-safe when the callback is.
 */
public final class Secret implements Supplier<String> {
    private final Supplier<String> source;
    private final String origin;

    private Secret(Supplier<String> source, String origin) {
        this.source = source;
        this.origin = origin;
    }

    /**
     * Reads the secret from an environment variable on each use.
     *
     * @param variable the variable name
     * @return the secret
     */
    public static Secret fromEnvironment(String variable) {
        Objects.requireNonNull(variable, "variable");
        return new Secret(() -> System.getenv(variable), "environment variable " + variable);
    }

    /**
     * Reads the secret from a file on each use; surrounding whitespace (a final newline) is
     * removed.
     *
     * @param file a file holding the secret as UTF-8 text
     * @return the secret
     */
    public static Secret fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new Secret(() -> readFile(file), "file " + file);
    }

    /**
     * Asks a callback of the caller for the secret on each use, for example a secret manager.
     *
     * @param callback returns the current secret; must be thread-safe
     * @return the secret
     */
    public static Secret from(Supplier<String> callback) {
        return new Secret(Objects.requireNonNull(callback, "callback"), "callback");
    }

    /**
     * Holds a fixed secret in memory, for tests and programs that already hold it.
     *
     * @param value the secret, not blank
     * @return the secret
     * @throws ConfigurationException when the value is blank
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new ConfigurationException("a secret must not be blank");
        }
        return new Secret(() -> value, "fixed value");
    }

    private static String readFile(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the secret file " + file);
        }
    }

    /**
     * Returns the current value of the secret.
     *
     * @return the secret, never blank
     * @throws ConfigurationException when the variable is not set, the file cannot be read or
     *     the value is blank; the message says where the secret was looked for, never a value
     */
    @Override
    public String get() {
        String value = source.get();
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("the secret from " + origin + " is missing or empty");
        }
        return value;
    }

    /** Names where the secret comes from, never the secret. */
    @Override
    public String toString() {
        return "Secret[" + origin + "]";
    }
}
