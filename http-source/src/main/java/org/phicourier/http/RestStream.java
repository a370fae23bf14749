package org.phicourier.http;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;

/**
 * One stream of a {@link RestSource}: an endpoint, its query, where each page holds its records,
 * how it pages, and the schema of its rows.
 *
 * <p>By default every record (a JSON object in the records array) becomes a row with one field,
 * {@value #RECORD_FIELD}, of type {@link FieldType#JSON}, holding the whole object, so that nested
 * records reach the de-identification transformers intact. With {@link Builder#fields} the stream
 * has a flat schema instead: each field takes the record's property of the same name, converted
 * without loss; properties not declared are not read.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RestStream {
    /** The name of the single JSON field of the default schema. */
    public static final String RECORD_FIELD = "record";

    private final String name;
    private final String path;
    private final List<Map.Entry<String, String>> query;
    private final JsonPointer records;
    private final Pagination pagination;
    private final Schema schema;
    private final boolean flat;

    private RestStream(Builder builder) {
        this.name = builder.name;
        this.path = builder.path;
        this.query = List.copyOf(builder.query);
        this.records = builder.records;
        this.pagination = builder.pagination;
        this.flat = !builder.fields.isEmpty();
        this.schema = flat ? Schema.of(builder.fields) : Schema.of(
                Field.builder(RECORD_FIELD, FieldType.JSON).nullable(false)
                        .sourceType("JSON object").build());
    }

    /**
     * Starts building a stream.
     *
     * @param name the stream name: ASCII letters, digits, '.', '_' or '-'
     * @return a builder
     * @throws ConfigurationException when the name is not allowed
     */
    public static Builder builder(String name) {
        return new Builder(StreamDescriptor.checkName(name));
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
     * Returns the schema of the stream's rows.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    String path() {
        return path;
    }

    List<Map.Entry<String, String>> query() {
        return query;
    }

    JsonPointer records() {
        return records;
    }

    Pagination pagination() {
        return pagination;
    }

    boolean flat() {
        return flat;
    }

    /** Shows the path, not the query, whose values may be PHI. */
    @Override
    public String toString() {
        return "RestStream[" + name + ", " + path + ", records at '" + records + "', "
                + pagination + "]";
    }

    /** Builds a {@link RestStream}; mutable and not thread-safe. */
    public static final class Builder {
        private final String name;
        private String path;
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private JsonPointer records = JsonPointer.empty();
        private Pagination pagination = Pagination.none();
        private final List<Field> fields = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets the endpoint path, relative to the source's base URL. Required.
         *
         * @param path for example {@code /v1/patients}
         * @return this builder
         */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Adds a query parameter to every request of the stream; may repeat.
         *
         * @param name the parameter name
         * @param value the value; never logged
         * @return this builder
         */
        public Builder queryParam(String name, String value) {
            query.add(Map.entry(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * Sets where each page holds its array of records; the whole body by default.
         *
         * @param pointer a JSON pointer, for example {@code /data} or {@code /entry}
         * @return this builder
         * @throws ConfigurationException when the pointer is malformed
         */
        public Builder recordsAt(String pointer) {
            try {
                this.records = JsonPointer.compile(Objects.requireNonNull(pointer, "pointer"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("stream '" + name + "': '" + pointer
                        + "' is not a JSON pointer (RFC 6901), such as /data");
            }
            return this;
        }

        /**
         * Sets how the stream pages; {@link Pagination#none()} by default.
         *
         * @param pagination the pagination
         * @return this builder
         */
        public Builder pagination(Pagination pagination) {
            this.pagination = Objects.requireNonNull(pagination, "pagination");
            return this;
        }

        /**
         * Declares a flat schema instead of the single JSON field; each field is read from the
         * record property of the same name.
         *
         * @param declared the fields, in order
         * @return this builder
         */
        public Builder fields(Field... declared) {
            fields.addAll(List.of(declared));
            return this;
        }

        /**
         * Builds the stream.
         *
         * @return the stream
         * @throws ConfigurationException when the path is missing, two fields share a name, or
         *     a query parameter collides with one the pagination sets
         */
        public RestStream build() {
            if (path == null) {
                throw new ConfigurationException("stream '" + name + "': path is required");
            }
            checkParams();
            try {
                return new RestStream(this);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("stream '" + name + "': " + e.getMessage());
            }
        }

        private void checkParams() {
            for (Map.Entry<String, String> param : query) {
                String key = param.getKey();
                if (key.equals(pagination.param())
                        || pagination.sizeParam().map(key::equals).orElse(false)) {
                    throw new ConfigurationException("stream '" + name + "': query parameter '"
                            + key + "' is set by the pagination; do not add it");
                }
            }
        }
    }
}
