package org.phicourier.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One named, typed column of a {@link Schema}.
 *
 * <p>Instances are immutable and thread-safe. The source type is a description for people and
 * error messages (for example {@code numeric(12,2)}); it never holds a value.
 */
public final class Field {
    private final String name;
    private final FieldType type;
    private final boolean nullable;
    private final String sourceType;

    private Field(Builder builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.nullable = builder.nullable;
        this.sourceType = builder.sourceType;
    }

    /**
     * Creates a nullable field without a source type description.
     *
     * @param name the field name, not blank
     * @param type the value type
     * @return the field
     */
    public static Field of(String name, FieldType type) {
        return builder(name, type).build();
    }

    /**
     * Starts a builder for a field.
     *
     * @param name the field name, not blank
     * @param type the value type
     * @return a builder; nullable by default
     */
    public static Builder builder(String name, FieldType type) {
        return new Builder(name, type);
    }

    /**
     * Returns the field name as the source spells it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the value type.
     *
     * @return the type
     */
    public FieldType type() {
        return type;
    }

    /**
     * Tells whether the field may hold null.
     *
     * @return true when null is allowed
     */
    public boolean nullable() {
        return nullable;
    }

    /**
     * Returns the type as the source described it, for messages.
     *
     * @return the source type, when the source gave one
     */
    public Optional<String> sourceType() {
        return Optional.ofNullable(sourceType);
    }

    /**
     * Returns a copy of this field with another type, keeping name and nullability.
     *
     * @param newType the new type
     * @return the changed field
     */
    public Field withType(FieldType newType) {
        return builder(name, newType).nullable(nullable).build();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Field)) {
            return false;
        }
        Field that = (Field) other;
        return name.equals(that.name) && type == that.type && nullable == that.nullable
                && Objects.equals(sourceType, that.sourceType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, nullable, sourceType);
    }

    @Override
    public String toString() {
        return name + ":" + type + (nullable ? "" : " not null");
    }

    /** Builds a {@link Field}; mutable and not thread-safe. */
    public static final class Builder {
        private final String name;
        private final FieldType type;
        private boolean nullable = true;
        private String sourceType;

        private Builder(String name, FieldType type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * Sets whether the field may hold null.
         *
         * @param nullable true to allow null (the default)
         * @return this builder
         */
        public Builder nullable(boolean nullable) {
            this.nullable = nullable;
            return this;
        }

        /**
         * Sets the type as the source describes it.
         *
         * @param sourceType for example {@code varchar(64)}
         * @return this builder
         */
        public Builder sourceType(String sourceType) {
            this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
            return this;
        }

        /**
         * Builds the field.
         *
         * @return the field
         * @throws IllegalArgumentException when the name is blank
         */
        public Field build() {
            if (name.isBlank()) {
                throw new IllegalArgumentException("field name must not be blank");
            }
            return new Field(this);
        }
    }
}
