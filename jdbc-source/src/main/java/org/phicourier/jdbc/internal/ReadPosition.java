package org.phicourier.jdbc.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.spi.Bookmark;

/**
 * Where a chunked read stands, and its form as a {@link Bookmark}. The key tuples it holds (the
 * last row delivered, the bound of the read, the end of the previous read) go into the
 * bookmark's values, which the pipeline stores encrypted; the phase and the transaction horizons
 * go into its attributes. Mutable; owned by one reader.
 */
final class ReadPosition {
    /** The steps of a read. */
    enum Phase {
        /** PostgreSQL cursor reads: rows below the previous end, committed since. */
        LATE,
        /** PostgreSQL cursor reads: rows above the previous end. */
        NEW,
        /** Every other read while it goes on. */
        READ,
        /** The read is complete; the next one starts from here. */
        DONE
    }

    static final String METHOD = "method";
    static final String PHASE = "phase";
    static final String LOW = "horizon.low";
    static final String HIGH = "horizon.high";
    private static final String PRIOR = "prior.";
    private static final String BOUND = "bound.";
    private static final String LAST = "last.";

    final ReadMethod method;
    Phase phase;
    long low;
    long high;
    Optional<Object[]> prior = Optional.empty();
    Optional<Object[]> bound = Optional.empty();
    Optional<Object[]> last = Optional.empty();

    ReadPosition(ReadMethod method, Phase phase) {
        this.method = method;
        this.phase = phase;
    }

    Bookmark toBookmark(List<KeyColumn> keys) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(METHOD, method.id());
        attributes.put(PHASE, phase.name());
        if (method == ReadMethod.POSTGRESQL_CURSOR || method == ReadMethod.POSTGRESQL_XMIN) {
            attributes.put(LOW, Long.toString(low));
            attributes.put(HIGH, Long.toString(high));
        }
        List<Field> fields = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        add(fields, values, keys, PRIOR, prior);
        add(fields, values, keys, BOUND, bound);
        add(fields, values, keys, LAST, last);
        return Bookmark.of(attributes, Row.of(Schema.of(fields), values.toArray()));
    }

    private static void add(List<Field> fields, List<Object> values, List<KeyColumn> keys,
            String group, Optional<Object[]> tuple) {
        if (tuple.isEmpty()) {
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            Field key = keys.get(i).field();
            fields.add(Field.builder(group + key.name(), key.type()).nullable(false).build());
            values.add(tuple.get()[i]);
        }
    }

    /**
     * Restores a position from a bookmark of the same read.
     *
     * @throws ConfigurationException when the bookmark belongs to another read method or keys
     */
    static ReadPosition from(Bookmark bookmark, ReadMethod method, List<KeyColumn> keys,
            String stream) {
        if (!bookmark.attribute(METHOD).equals(Optional.of(method.id()))) {
            throw mismatch(stream);
        }
        try {
            ReadPosition position = new ReadPosition(method,
                    Phase.valueOf(bookmark.attribute(PHASE).orElse("")));
            position.low = Long.parseLong(bookmark.attribute(LOW).orElse("0"));
            position.high = Long.parseLong(bookmark.attribute(HIGH).orElse("0"));
            position.prior = tuple(bookmark.values(), keys, PRIOR, stream);
            position.bound = tuple(bookmark.values(), keys, BOUND, stream);
            position.last = tuple(bookmark.values(), keys, LAST, stream);
            return position;
        } catch (IllegalArgumentException e) {
            throw mismatch(stream);
        }
    }

    private static Optional<Object[]> tuple(Row values, List<KeyColumn> keys, String group,
            String stream) {
        Schema schema = values.schema();
        if (schema.indexOf(group + keys.get(0).field().name()) < 0) {
            return Optional.empty();
        }
        Object[] tuple = new Object[keys.size()];
        for (int i = 0; i < tuple.length; i++) {
            Field key = keys.get(i).field();
            int index = schema.indexOf(group + key.name());
            if (index < 0 || schema.field(index).type() != key.type()) {
                throw mismatch(stream);
            }
            tuple[i] = values.get(index);
        }
        return Optional.of(tuple);
    }

    private static ConfigurationException mismatch(String stream) {
        return new ConfigurationException("stream '" + stream + "': the saved bookmark belongs"
                + " to another read method or other key columns");
    }

    @Override
    public String toString() {
        return "ReadPosition[" + method.id() + ", " + phase + "]";
    }
}
