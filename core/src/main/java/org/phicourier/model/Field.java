package org.phicourier.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

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
    private final Integer precision;
    private final Integer scale;
    private final boolean key;
    private final String originalName;

    private Field(Builder builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.nullable = builder.nullable;
        this.sourceType = builder.sourceType;
        this.precision = builder.precision;
        this.scale = builder.scale;
        this.key = builder.key;
        this.originalName = builder.originalName;
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
     * Returns the precision the source declared, such as 38 for {@code numeric(38,18)}.
     *
     * @return the precision, when the source gave one
     */
    public OptionalInt precision() {
        return precision == null ? OptionalInt.empty() : OptionalInt.of(precision);
    }

    /**
     * Returns the scale the source declared, such as 18 for {@code numeric(38,18)}.
     *
     * @return the scale, when the source gave one
     */
    public OptionalInt scale() {
        return scale == null ? OptionalInt.empty() : OptionalInt.of(scale);
    }

    /**
     * Tells whether the field is part of the source's primary key.
     *
     * @return true for a primary key column
     */
    public boolean key() {
        return key;
    }

    /**
     * Returns the name the source gave the field, when the field was renamed on its way (for
     * example to a name a target format can take).
     *
     * @return the original name, if the field was renamed
     */
    public Optional<String> originalName() {
        return Optional.ofNullable(originalName);
    }

    /**
     * Returns a copy of this field with another type, keeping name, nullability, key and
     * original name; the source's type description no longer applies and is dropped.
     *
     * @param newType the new type
     * @return the changed field
     */
    public Field withType(FieldType newType) {
        Builder builder = builder(name, newType).nullable(nullable).key(key);
        if (originalName != null) {
            builder.originalName(originalName);
        }
        return builder.build();
    }

    /**
     * Returns a copy of this field that may or may not hold null, keeping everything else.
     *
     * @param allowNull true to allow null
     * @return the changed field
     */
    public Field withNullable(boolean allowNull) {
        return copy(name).nullable(allowNull).build();
    }

    /**
     * Returns a copy of this field under another name, remembering the first name it had as
     * its {@link #originalName()}.
     *
     * @param newName the new name, not blank
     * @return the renamed field
     */
    public Field withName(String newName) {
        return copy(newName).originalName(originalName != null ? originalName : name).build();
    }

    private Builder copy(String newName) {
        Builder builder = builder(newName, type).nullable(nullable).key(key);
        builder.sourceType = sourceType;
        builder.precision = precision;
        builder.scale = scale;
        builder.originalName = originalName;
        return builder;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Field)) {
            return false;
        }
        Field that = (Field) other;
        return name.equals(that.name) && type == that.type && nullable == that.nullable
                && Objects.equals(sourceType, that.sourceType)
                && Objects.equals(precision, that.precision) && Objects.equals(scale, that.scale)
                && key == that.key && Objects.equals(originalName, that.originalName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, nullable, sourceType, precision, scale, key, originalName);
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
        private Integer precision;
        private Integer scale;
        private boolean key;
        private String originalName;

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
         * Sets the precision the source declares.
         *
         * @param digits the precision, not negative
         * @return this builder
         */
        public Builder precision(int digits) {
            this.precision = nonNegative(digits, "precision");
            return this;
        }

        /**
         * Sets the scale the source declares.
         *
         * @param digits the scale, not negative
         * @return this builder
         */
        public Builder scale(int digits) {
            this.scale = nonNegative(digits, "scale");
            return this;
        }

        /**
         * Marks the field as part of the source's primary key.
         *
         * @param primaryKey true for a key column; false by default
         * @return this builder
         */
        public Builder key(boolean primaryKey) {
            this.key = primaryKey;
            return this;
        }

        /**
         * Sets the name the source gave the field before it was renamed.
         *
         * @param name the original name
         * @return this builder
         */
        public Builder originalName(String name) {
            this.originalName = Objects.requireNonNull(name, "name");
            return this;
        }

        private static int nonNegative(int value, String what) {
            if (value < 0) {
                throw new IllegalArgumentException(what + " must not be negative");
            }
            return value;
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
