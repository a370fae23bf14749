package org.phicourier.s3.internal;

import java.io.IOException;
import java.io.OutputStream;
import org.phicourier.internal.RowJsonWriter;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.ObjectFormat;
import org.phicourier.s3.spi.RecordFormat;

/**
 * The format contract: turns the rows of one object into bytes. One instance per object; not
 * thread-safe.
 */
interface RecordEncoder extends RecordFormat.Encoder {

    static RecordEncoder open(ObjectFormat format, OutputStream out, Schema schema)
            throws IOException {
        return switch (format) {
            case JSONL -> new JsonLines(new RowJsonWriter(out, schema));
            case CSV -> new CsvRowWriter(out, schema);
        };
    }

    /** JSON Lines through the core writer, which the walking skeleton already used. */
    final class JsonLines implements RecordEncoder {
        private final RowJsonWriter json;

        JsonLines(RowJsonWriter json) {
            this.json = json;
        }

        @Override
        public void write(Row row) throws IOException {
            json.write(row);
        }

        @Override
        public void finish() throws IOException {
            json.finish();
            json.close();
        }
    }
}
