package org.phicourier.http;

import java.util.Objects;

/**
 * One HTTP header that authenticates a request, such as {@code Authorization: Bearer ...}.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows the header name only.
 */
public final class AuthHeader {
    private final String name;
    private final String value;

    private AuthHeader(String name, String value) {
        this.name = name;
        this.value = value;
    }

    /**
     * Creates a header.
     *
     * @param name the header name, for example {@code Authorization}
     * @param value the header value, which holds the credential
     * @return the header
     */
    public static AuthHeader of(String name, String value) {
        return new AuthHeader(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(value, "value"));
    }

    /**
     * Returns the header name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the header value, which holds the credential.
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthHeader && name.equalsIgnoreCase(((AuthHeader) other).name)
                && value.equals(((AuthHeader) other).value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Shows the header name only. */
    @Override
    public String toString() {
        return "AuthHeader[" + name + "]";
    }
}
