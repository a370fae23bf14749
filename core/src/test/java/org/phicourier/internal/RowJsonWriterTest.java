package org.phicourier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

class RowJsonWriterTest {
    private static String write(Schema schema, Row... rows) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RowJsonWriter writer = new RowJsonWriter(out, schema)) {
            for (Row row : rows) {
                writer.write(row);
            }
            writer.finish();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void write_eachTypeHasItsDocumentedEncoding() throws Exception {
        Schema schema = Schema.of(Field.of("s", FieldType.STRING), Field.of("i", FieldType.INT32),
                Field.of("l", FieldType.INT64), Field.of("d", FieldType.DECIMAL),
                Field.of("f", FieldType.FLOAT64), Field.of("b", FieldType.BOOLEAN),
                Field.of("date", FieldType.DATE), Field.of("time", FieldType.TIME),
                Field.of("ts", FieldType.TIMESTAMP), Field.of("tz", FieldType.TIMESTAMP_TZ),
                Field.of("bin", FieldType.BINARY), Field.of("json", FieldType.JSON),
                Field.of("nil", FieldType.STRING));
        Row row = Row.of(schema, "O'Connell \"x\"", 7, Long.MAX_VALUE,
                new BigDecimal("10939881000119104.00"), Double.NaN, true,
                LocalDate.of(1949, 11, 26), LocalTime.of(10, 15),
                LocalDateTime.of(2023, 1, 27, 16, 17, 47, 123_456_000),
                OffsetDateTime.of(2020, 5, 1, 8, 0, 0, 0, ZoneOffset.ofHours(-4)),
                new byte[] {1, 2, 3}, new ObjectMapper().readTree("{\"a\":[1,2]}"), null);

        assertThat(write(schema, row)).isEqualTo("{\"s\":\"O'Connell \\\"x\\\"\",\"i\":7,"
                + "\"l\":9223372036854775807,\"d\":10939881000119104.00,\"f\":\"NaN\","
                + "\"b\":true,\"date\":\"1949-11-26\",\"time\":\"10:15:00\","
                + "\"ts\":\"2023-01-27T16:17:47.123456\",\"tz\":\"2020-05-01T08:00:00-04:00\","
                + "\"bin\":\"AQID\",\"json\":{\"a\":[1,2]},\"nil\":null}\n");
    }

    @Test
    void write_oneLinePerRowAndNothingForNoRows() throws Exception {
        Schema schema = Schema.of(Field.of("n", FieldType.INT32));

        assertThat(write(schema, Row.of(schema, 1), Row.of(schema, 2))).isEqualTo(
                "{\"n\":1}\n{\"n\":2}\n");
        assertThat(write(schema)).isEmpty();
    }

    @Test
    void write_datesBeyondYear9999OrOffsetsWithSeconds_useTheIsoFormatters() throws Exception {
        Schema schema = Schema.of(Field.of("date", FieldType.DATE),
                Field.of("tz", FieldType.TIMESTAMP_TZ));
        Row row = Row.of(schema, LocalDate.of(12_345, 6, 7),
                OffsetDateTime.of(2020, 5, 1, 8, 0, 0, 0, ZoneOffset.ofTotalSeconds(3_601)));

        assertThat(write(schema, row)).isEqualTo(
                "{\"date\":\"+12345-06-07\",\"tz\":\"2020-05-01T08:00:00+01:00:01\"}\n");
    }
}
