package org.phicourier.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.phicourier.model.Schema;
import org.phicourier.s3.internal.TextFormats;
import org.phicourier.s3.spi.RecordFormat;

/**
 * How an {@link S3Sink} encodes the records of an object before compression and encryption.
 *
 * <p>Both formats write every field in schema order and use the same text forms for values that
 * have no native form: decimals exact (as {@link java.math.BigDecimal#toString} gives them),
 * non-finite floating-point values as {@code NaN}, {@code Infinity} and {@code -Infinity}, dates
 * and times as ISO-8601 (a date-time without zone stays without zone), binary as standard Base64,
 * nested JSON as compact JSON text.
 *
 * <p>These are the built-in {@link RecordFormat}s; optional modules add others (Parquet).
 */
public enum ObjectFormat implements RecordFormat {
    /**
     * JSON Lines: one JSON object per line, numbers as JSON numbers, null as JSON null. Object
     * names end in {@code .jsonl}. The default. A nested JSON field that holds JSON {@code null}
     * reads back as null, since the line cannot tell the two apart; CSV can.
     */
    JSONL("jsonl"),
    /**
     * CSV as RFC 4180 defines it: a header line with the field names of the schema (never taken
     * from a record), then one line per record, lines ended by CRLF, a field quoted with
     * {@code "} when it holds a comma, a quote, CR or LF (a quote doubled inside), or is the empty
     * string. <b>Null is an empty unquoted field; the empty string is {@code ""}</b>, the
     * convention of PostgreSQL's {@code COPY ... CSV}. A schema change starts a new object, so
     * every object has one header. Object names end in {@code .csv}.
     */
    CSV("csv");

    private final String extension;

    ObjectFormat(String extension) {
        this.extension = extension;
    }

    /**
     * Returns the name this format has in object names and in the
     * {@code phi-courier-content} metadata entry.
     *
     * @return {@code jsonl} or {@code csv}
     */
    @Override
    public String extension() {
        return extension;
    }

    /**
     * Returns the name this format has in the {@code phi-courier-content} metadata entry, the
     * same as its {@linkplain #extension extension}.
     *
     * @return {@code jsonl} or {@code csv}
     */
    @Override
    public String label() {
        return extension;
    }

    @Override
    public Encoder openEncoder(OutputStream out, Schema schema) throws IOException {
        return TextFormats.encoder(this, out, schema);
    }

    @Override
    public Decoder openDecoder(InputStream content, Schema schema) throws IOException {
        return TextFormats.decoder(this, content, schema);
    }
}
