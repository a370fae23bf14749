package org.phicourier.deid;

import java.util.Objects;
import org.phicourier.model.Row;

/**
 * A record withheld from the output, with where it came from and why.
 *
 * <p>Instances are immutable and thread-safe; {@link #toString()} never shows the record.
 *
 * @param stream the stream name
 * @param position the one-based row position in the stream
 * @param field the field or JSON path at fault
 * @param reason why, without any value (such as "malformed date")
 * @param record the record as read, before any masking
 */
public record QuarantinedRecord(String stream, long position, String field, String reason,
        Row record) {
    /**
     * Checks the parts.
     *
     * @param stream the stream name
     * @param position the one-based row position in the stream
     * @param field the field or JSON path at fault
     * @param reason why, without any value
     * @param record the record as read
     */
    public QuarantinedRecord {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(record, "record");
    }

    /** Shows stream, position, field and reason; never the record. */
    @Override
    public String toString() {
        return "QuarantinedRecord[stream=" + stream + ", row=" + position + ", field=" + field
                + ", reason=" + reason + "]";
    }
}
