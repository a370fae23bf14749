package org.phicourier.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * The value types a {@link Field} can hold, each with exactly one Java representation.
 *
 * <p>The mapping is lossless by design: exact decimals are {@link BigDecimal}, never a double;
 * a date-time without zone stays a {@link LocalDateTime} and is never stamped with a zone; an
 * instant keeps its original offset as an {@link OffsetDateTime}.
 */
public enum FieldType {
    /** Unicode text, as {@link String}. */
    STRING(String.class),
    /** A signed 32-bit integer, as {@link Integer}. */
    INT32(Integer.class),
    /** A signed 64-bit integer, as {@link Long}. */
    INT64(Long.class),
    /** An IEEE 754 single-precision number, as {@link Float}. */
    FLOAT32(Float.class),
    /** An IEEE 754 double-precision number, as {@link Double}. */
    FLOAT64(Double.class),
    /** An exact decimal number of any precision and scale, as {@link BigDecimal}. */
    DECIMAL(BigDecimal.class),
    /** True or false, as {@link Boolean}. */
    BOOLEAN(Boolean.class),
    /** A calendar date without time or zone, as {@link LocalDate}. */
    DATE(LocalDate.class),
    /** A time of day without date or zone, as {@link LocalTime}. */
    TIME(LocalTime.class),
    /** A date and time without zone, as {@link LocalDateTime}. */
    TIMESTAMP(LocalDateTime.class),
    /** An instant with the offset it was recorded in, as {@link OffsetDateTime}. */
    TIMESTAMP_TZ(OffsetDateTime.class),
    /** Raw bytes, as {@code byte[]}. */
    BINARY(byte[].class),
    /** Nested JSON (object, array or scalar), as Jackson's {@link JsonNode}. */
    JSON(JsonNode.class);

    private final Class<?> javaType;

    FieldType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /**
     * Returns the Java class that values of this type have.
     *
     * @return the value class
     */
    public Class<?> javaType() {
        return javaType;
    }

    /**
     * Tells whether a non-null value has this type's Java representation.
     *
     * @param value a value, not null
     * @return true when the value can be held by a field of this type
     */
    public boolean accepts(Object value) {
        return javaType.isInstance(value);
    }
}
