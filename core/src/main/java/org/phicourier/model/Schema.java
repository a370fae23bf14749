package org.phicourier.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An ordered list of uniquely named {@link Field}s: the shape of every {@link Row} of a stream.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Schema {
    private final List<Field> fields;
    private final Map<String, Integer> positions;

    private Schema(List<Field> fields) {
        this.fields = List.copyOf(fields);
        this.positions = new HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            String name = this.fields.get(i).name();
            if (positions.put(name, i) != null) {
                throw new IllegalArgumentException("duplicate field name '" + name + "'");
            }
        }
    }

    /**
     * Creates a schema from fields in order.
     *
     * @param fields the fields; names must be unique
     * @return the schema
     * @throws IllegalArgumentException when two fields share a name
     */
    public static Schema of(Collection<Field> fields) {
        return new Schema(new ArrayList<>(fields));
    }

    /**
     * Creates a schema from fields in order.
     *
     * @param fields the fields; names must be unique
     * @return the schema
     * @throws IllegalArgumentException when two fields share a name
     */
    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    /**
     * Returns the fields in order.
     *
     * @return an unmodifiable list
     */
    public List<Field> fields() {
        return fields;
    }

    /**
     * Returns the number of fields.
     *
     * @return the field count
     */
    public int size() {
        return fields.size();
    }

    /**
     * Returns the field at a position.
     *
     * @param index the zero-based position
     * @return the field
     */
    public Field field(int index) {
        return fields.get(index);
    }

    /**
     * Finds a field by its exact name.
     *
     * @param name the field name
     * @return the field, when the schema has one of that name
     */
    public Optional<Field> field(String name) {
        Integer index = positions.get(name);
        return index == null ? Optional.empty() : Optional.of(fields.get(index));
    }

    /**
     * Returns the position of a field by its exact name.
     *
     * @param name the field name
     * @return the zero-based position, or -1 when absent
     */
    public int indexOf(String name) {
        Integer index = positions.get(name);
        return index == null ? -1 : index;
    }

    /**
     * Returns the field names in order.
     *
     * @return an unmodifiable list of names
     */
    public List<String> names() {
        return fields.stream().map(Field::name).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Schema && fields.equals(((Schema) other).fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "Schema" + fields;
    }
}
