package org.phicourier.schema;

import java.util.Objects;

/**
 * One difference between two schemas of a stream. Holds field names and types only.
 *
 * @param kind the kind of change
 * @param field the field name
 * @param from the field's type before (with nullability), empty for an added field
 * @param to the field's type now (with nullability), empty for a removed field
 */
public record SchemaChange(DriftKind kind, String field, String from, String to) {
    /**
     * Checks the parts.
     *
     * @param kind the kind of change
     * @param field the field name
     * @param from the type before
     * @param to the type now
     */
    public SchemaChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /** Describes the change, such as {@code field 'email' added (STRING)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case FIELD_ADDED -> "field '" + field + "' added (" + to + ")";
            case FIELD_REMOVED -> "field '" + field + "' removed (" + from + ")";
            default -> "field '" + field + "' " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + " (" + from + " -> " + to + ")";
        };
    }
}
