package org.phicourier.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;

/** One declared constraint; {@link #holds} never sees a null except in {@link Required}. */
sealed interface Constraint {
    /** The constraint's name, the second part of its rule id. */
    String kind();

    /** Tells whether a non-null value of the field satisfies the constraint. */
    boolean holds(Field field, Object value);

    /** Fails when the constraint cannot apply to the field's type. */
    default void bind(String stream, Field field) {
    }

    /** Null is a violation. */
    record Required() implements Constraint {
        @Override
        public String kind() {
            return "required";
        }

        @Override
        public boolean holds(Field field, Object value) {
            return value != null;
        }
    }

    /** The value has, or its text parses as, the declared type. */
    record Type(FieldType type) implements Constraint {
        @Override
        public String kind() {
            return "type";
        }

        @Override
        public void bind(String stream, Field field) {
            FieldType actual = field.type();
            if (actual != type && actual != FieldType.STRING && actual != FieldType.JSON) {
                throw new ConfigurationException("stream '" + stream + "', field '"
                        + field.name() + "': declared type " + type + " but the source delivers "
                        + actual);
            }
        }

        @Override
        public boolean holds(Field field, Object value) {
            if (field.type() == type) {
                return true;
            }
            if (value instanceof JsonNode node) {
                return jsonKind(node);
            }
            return parses((String) value);
        }

        private boolean jsonKind(JsonNode node) {
            return switch (type) {
                case INT32 -> node.canConvertToExactIntegral() && node.canConvertToInt();
                case INT64 -> node.canConvertToExactIntegral() && node.canConvertToLong();
                case FLOAT32, FLOAT64, DECIMAL -> node.isNumber();
                case BOOLEAN -> node.isBoolean();
                case JSON -> true;
                default -> node.isTextual() && parses(node.textValue());
            };
        }

        private boolean parses(String text) {
            try {
                switch (type) {
                    case INT32 -> Integer.parseInt(text);
                    case INT64 -> Long.parseLong(text);
                    case FLOAT32, FLOAT64 -> Double.parseDouble(text);
                    case DECIMAL -> new BigDecimal(text);
                    case BOOLEAN -> {
                        return text.equals("true") || text.equals("false");
                    }
                    case DATE -> LocalDate.parse(text);
                    case TIME -> LocalTime.parse(text);
                    case TIMESTAMP -> LocalDateTime.parse(text);
                    case TIMESTAMP_TZ -> OffsetDateTime.parse(text);
                    case BINARY -> java.util.Base64.getDecoder().decode(text);
                    default -> {
                        return true;
                    }
                }
                return true;
            } catch (IllegalArgumentException | DateTimeParseException e) {
                return false;
            }
        }
    }

    /** Text length in code points, binary length in bytes. */
    record Length(int min, int max) implements Constraint {
        @Override
        public String kind() {
            return "length";
        }

        @Override
        public void bind(String stream, Field field) {
            if (field.type() != FieldType.STRING && field.type() != FieldType.BINARY) {
                throw new ConfigurationException("stream '" + stream + "', field '"
                        + field.name() + "': a length applies to STRING or BINARY, not "
                        + field.type());
            }
        }

        @Override
        public boolean holds(Field field, Object value) {
            int length = value instanceof byte[] bytes ? bytes.length
                    : ((String) value).codePointCount(0, ((String) value).length());
            return length >= min && length <= max;
        }
    }

    /** A closed numeric range, compared exactly; NaN and text that is no number fail it. */
    record Range(Optional<BigDecimal> min, Optional<BigDecimal> max) implements Constraint {
        private static final Set<FieldType> NUMERIC = Set.of(FieldType.INT32, FieldType.INT64,
                FieldType.FLOAT32, FieldType.FLOAT64, FieldType.DECIMAL, FieldType.STRING,
                FieldType.JSON);

        @Override
        public String kind() {
            return "range";
        }

        @Override
        public void bind(String stream, Field field) {
            if (!NUMERIC.contains(field.type())) {
                throw new ConfigurationException("stream '" + stream + "', field '"
                        + field.name() + "': a range applies to numbers, not " + field.type());
            }
        }

        @Override
        public boolean holds(Field field, Object value) {
            Optional<BigDecimal> number = exact(value);
            return number.isPresent()
                    && min.map(m -> number.get().compareTo(m) >= 0).orElse(true)
                    && max.map(m -> number.get().compareTo(m) <= 0).orElse(true);
        }

        private static Optional<BigDecimal> exact(Object value) {
            try {
                if (value instanceof BigDecimal decimal) {
                    return Optional.of(decimal);
                }
                if (value instanceof Integer || value instanceof Long) {
                    return Optional.of(BigDecimal.valueOf(((Number) value).longValue()));
                }
                if (value instanceof Float || value instanceof Double) {
                    double d = ((Number) value).doubleValue();
                    return Double.isFinite(d) ? Optional.of(new BigDecimal(value.toString()))
                            : Optional.empty();
                }
                if (value instanceof JsonNode node) {
                    return node.isNumber() ? Optional.of(node.decimalValue()) : Optional.empty();
                }
                return Optional.of(new BigDecimal((String) value));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** Text matches a regular expression as a whole. */
    record Matches(Pattern pattern) implements Constraint {
        @Override
        public String kind() {
            return "pattern";
        }

        @Override
        public void bind(String stream, Field field) {
            if (field.type() != FieldType.STRING) {
                throw new ConfigurationException("stream '" + stream + "', field '"
                        + field.name() + "': a pattern applies to STRING, not " + field.type());
            }
        }

        @Override
        public boolean holds(Field field, Object value) {
            return pattern.matcher((String) value).matches();
        }
    }

    /** The value's text form is one of a set. */
    record OneOf(Set<String> values) implements Constraint {
        @Override
        public String kind() {
            return "enumeration";
        }

        @Override
        public boolean holds(Field field, Object value) {
            String text = value instanceof JsonNode node && node.isValueNode() ? node.asText()
                    : value.toString();
            return values.contains(text);
        }
    }

    /** A FHIR resource has the given resource type. */
    record ResourceType(String resourceType) implements Constraint {
        @Override
        public String kind() {
            return "resourceType";
        }

        @Override
        public void bind(String stream, Field field) {
            if (field.type() != FieldType.JSON) {
                throw new ConfigurationException("stream '" + stream + "', field '"
                        + field.name() + "': a resource type applies to JSON, not "
                        + field.type());
            }
        }

        @Override
        public boolean holds(Field field, Object value) {
            JsonNode type = ((JsonNode) value).get("resourceType");
            return type != null && type.isTextual() && type.textValue().equals(resourceType);
        }
    }
}
