package org.phicourier.s3.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.phicourier.IntegrityException;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.ObjectFormat;
import org.phicourier.s3.spi.RecordFormat;

/** The encoders and decoders of the built-in formats, behind {@link ObjectFormat}. */
public final class TextFormats {
    private static final int BUFFER = 64 * 1024;

    private TextFormats() {
    }

    /**
     * Opens the encoder of a built-in format.
     *
     * @param format the format
     * @param out the compressing, encrypting stream
     * @param schema the object's schema
     * @return the encoder
     * @throws IOException when it cannot start
     */
    public static RecordFormat.Encoder encoder(ObjectFormat format, OutputStream out,
            Schema schema) throws IOException {
        return RecordEncoder.open(format, out, schema);
    }

    /**
     * Opens the decoder of a built-in format.
     *
     * @param format the format
     * @param content the decompressed content
     * @param schema the schema the object was written with
     * @return the decoder
     * @throws IOException when the content cannot be read
     */
    public static RecordFormat.Decoder decoder(ObjectFormat format, InputStream content,
            Schema schema) throws IOException {
        return switch (format) {
            case JSONL -> new JsonLinesDecoder(content, schema);
            case CSV -> new CsvDecoder(content, schema);
        };
    }

    private static final class JsonLinesDecoder implements RecordFormat.Decoder {
        private final InputStream content;
        private final JsonParser parser;
        private final Schema schema;

        JsonLinesDecoder(InputStream content, Schema schema) throws IOException {
            this.content = content;
            this.parser = RowJsonReader.EXACT.getFactory().createParser(content);
            this.schema = schema;
        }

        @Override
        public Optional<Row> next() throws IOException {
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            try {
                JsonNode node = RowJsonReader.EXACT.readTree(parser);
                if (node instanceof ObjectNode record) {
                    return Optional.of(RowJsonReader.decode(schema, record));
                }
            } catch (JsonProcessingException e) {
                throw new IntegrityException("not a JSON object");
            }
            throw new IntegrityException("not a JSON object");
        }

        @Override
        public void close() throws IOException {
            parser.close();
            content.close();
        }
    }

    private static final class CsvDecoder implements RecordFormat.Decoder {
        private final InputStream content;
        private final CsvRecords records;
        private final Schema schema;
        private final List<String> header;

        CsvDecoder(InputStream content, Schema schema) throws IOException {
            this.content = content;
            this.records = new CsvRecords(new BufferedReader(
                    new InputStreamReader(content, StandardCharsets.UTF_8), BUFFER));
            this.schema = schema;
            this.header = records.next().orElseThrow(() -> new IntegrityException("no header"));
        }

        @Override
        public Optional<Row> next() throws IOException {
            Optional<List<String>> fields = records.next();
            if (fields.isEmpty()) {
                return Optional.empty();
            }
            if (fields.get().size() != header.size()) {
                throw new IntegrityException(fields.get().size() + " fields where the header has "
                        + header.size());
            }
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < header.size(); i++) {
                node.put(header.get(i), fields.get().get(i));
            }
            return Optional.of(TextValues.decode(schema, node));
        }

        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
