package org.phicourier.s3.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.phicourier.ConfigurationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.spi.RecordFormat;

/** The Parquet encoder and decoder in memory, without S3. */
class ParquetFormatTest {
    private static final ParquetFormat FORMAT = ParquetFormat.create();

    private static byte[] encode(Schema schema, List<Row> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordFormat.Encoder encoder = FORMAT.openEncoder(out, schema);
        for (Row row : rows) {
            encoder.write(row);
        }
        encoder.finish();
        return out.toByteArray();
    }

    private static List<Row> decode(ParquetFormat format, byte[] file, Schema schema)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        try (RecordFormat.Decoder decoder = format.openDecoder(new ByteArrayInputStream(file),
                schema)) {
            for (Optional<Row> row = decoder.next(); row.isPresent(); row = decoder.next()) {
                rows.add(row.get());
            }
        }
        return rows;
    }

    @Test
    void openDecoder_manyRowGroups_readsEveryRowInOrder() throws IOException {
        Schema schema = Schema.of(Field.of("id", FieldType.INT64),
                Field.of("note", FieldType.STRING));
        List<Row> rows = new ArrayList<>();
        for (long i = 0; i < 200_000; i++) {
            rows.add(Row.of(schema, i, "note " + i * 7919));
        }
        ParquetFormat small = ParquetFormat.builder().rowGroupBytes(1024 * 1024)
                .pageBytes(64 * 1024).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordFormat.Encoder encoder = small.openEncoder(out, schema);
        for (Row row : rows) {
            encoder.write(row);
        }
        encoder.finish();

        assertThat(decode(small, out.toByteArray(), schema)).isEqualTo(rows);
    }

    @Test
    void finish_always_leavesTheSinkStreamOpen() throws IOException {
        Schema schema = Schema.of(Field.of("id", FieldType.INT32));
        boolean[] closed = {false};
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        RecordFormat.Encoder encoder = FORMAT.openEncoder(sink, schema);
        encoder.write(Row.of(schema, 1));
        encoder.finish();

        assertThat(closed[0]).isFalse();
    }

    @Test
    void write_timestampBeyond2262_failsNamingTheFieldNotTheValue() throws IOException {
        Schema schema = Schema.of(Field.of("admitted", FieldType.TIMESTAMP));
        RecordFormat.Encoder encoder = FORMAT.openEncoder(new ByteArrayOutputStream(), schema);

        assertThatThrownBy(() -> encoder.write(Row.of(schema,
                LocalDateTime.of(2999, 1, 2, 3, 4)))).isInstanceOf(IOException.class)
                .hasMessageContaining("'admitted'").hasMessageContaining("2262-04-11")
                .hasMessageNotContaining("2999");
    }

    @Test
    void write_decimalFinerThanDeclaredScale_failsNamingTheField() throws IOException {
        Schema schema = Schema.of(Field.builder("dose", FieldType.DECIMAL).precision(5)
                .scale(2).build());
        RecordFormat.Encoder encoder = FORMAT.openEncoder(new ByteArrayOutputStream(), schema);

        assertThatThrownBy(() -> encoder.write(Row.of(schema, new BigDecimal("1.234"))))
                .isInstanceOf(IOException.class).hasMessageContaining("'dose'")
                .hasMessageNotContaining("1.234");
    }

    @Test
    void openDecoder_decimalWiderThan38Digits_storedAsExactTextAndReadBack() throws IOException {
        Schema schema = Schema.of(Field.builder("amount", FieldType.DECIMAL).precision(131089)
                .scale(0).build());
        BigDecimal wide = new BigDecimal("1234567890123456789012345678901234567890.5");

        byte[] file = encode(schema, List.of(Row.of(schema, wide)));

        assertThat(decode(FORMAT, file, schema).get(0).get(0)).isEqualTo(wide);
        assertThat(file.length).isLessThan(4096);
    }

    @Test
    void openEncoder_fieldNamedLikeAnOffsetColumn_failsNamingBoth() {
        Schema schema = Schema.of(Field.of("seen", FieldType.TIMESTAMP_TZ),
                Field.of("seen__offset", FieldType.INT32));

        assertThatThrownBy(() -> FORMAT.openEncoder(new ByteArrayOutputStream(), schema))
                .isInstanceOf(IOException.class).hasMessageContaining("'seen__offset'")
                .hasMessageContaining("'seen'");
    }

    @Test
    void openDecoder_offsetDateTime_readsBackWithItsOffset() throws IOException {
        Schema schema = Schema.of(Field.of("seen", FieldType.TIMESTAMP_TZ));
        OffsetDateTime seen = OffsetDateTime.of(1700, 1, 1, 0, 0, 0, 5, ZoneOffset.ofHours(-9));

        List<Row> back = decode(FORMAT, encode(schema, List.of(Row.of(schema, seen))), schema);

        assertThat(back.get(0).get(0)).isEqualTo(seen);
    }

    @Test
    void openDecoder_notParquet_failsWithoutEchoingTheBytes() {
        Schema schema = Schema.of(Field.of("ssn", FieldType.STRING));
        byte[] text = "999-12-3456 is not a Parquet file at all".getBytes();

        assertThatThrownBy(() -> decode(FORMAT, text, schema))
                .isInstanceOf(org.phicourier.IntegrityException.class)
                .hasMessageContaining("not a readable Parquet file")
                .hasMessageNotContaining("999");
    }

    @Test
    void build_rowGroupBelowOneMebibyte_failsNamingTheSetting() {
        assertThatThrownBy(() -> ParquetFormat.builder().rowGroupBytes(1000).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("rowGroupBytes");
    }

    @Test
    void toString_always_namesSettingsOnly() {
        assertThat(FORMAT.toString()).startsWith("ParquetFormat[SNAPPY");
    }
}
