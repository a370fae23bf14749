package org.phicourier.spi;

import java.util.Objects;
import java.util.regex.Pattern;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Schema;

/**
 * Names one stream of a {@link Source} (a table, a query, a resource type) and gives its schema.
 *
 * <p>Stream names become part of object keys and of KMS encryption contexts, so they are limited
 * to ASCII letters, digits, dot, underscore and hyphen, start with a letter or digit, and are at
 * most 128 characters long. Instances are immutable and thread-safe.
 */
public final class StreamDescriptor {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final String name;
    private final Schema schema;

    private StreamDescriptor(String name, Schema schema) {
        this.name = name;
        this.schema = schema;
    }

    /**
     * Creates a descriptor.
     *
     * @param name the stream name
     * @param schema the schema of its records
     * @return the descriptor
     * @throws ConfigurationException when the name is not allowed
     */
    public static StreamDescriptor of(String name, Schema schema) {
        return new StreamDescriptor(checkName(name), Objects.requireNonNull(schema, "schema"));
    }

    /**
     * Checks that a stream name is allowed.
     *
     * @param name a candidate name
     * @return the name
     * @throws ConfigurationException when the name is not allowed
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigurationException("stream name '" + name + "' is not allowed: use 1 to"
                    + " 128 ASCII letters, digits, '.', '_' or '-', starting with a letter or"
                    + " digit");
        }
        return name;
    }

    /**
     * Returns the stream name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the schema of the stream's records.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * Returns a descriptor of the same stream with another schema.
     *
     * @param newSchema the schema after a transformation
     * @return the changed descriptor
     */
    public StreamDescriptor withSchema(Schema newSchema) {
        return new StreamDescriptor(name, Objects.requireNonNull(newSchema, "newSchema"));
    }

    @Override
    public String toString() {
        return "stream '" + name + "' " + schema;
    }
}
