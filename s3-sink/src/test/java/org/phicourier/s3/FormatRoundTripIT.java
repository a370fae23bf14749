package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.IntegrityException;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/** Every format and compression round-trips the type matrix through the emulator. */
class FormatRoundTripIT {
    private static final ObjectMapper PLAIN_JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static S3Emulator emulator;
    private static S3Client s3;
    private static Keyring keyring;

    @BeforeAll
    static void connect() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
        byte[] master = new byte[32];
        new Random(8).nextBytes(master);
        keyring = LocalAesKeyring.of(master);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    static List<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (ObjectFormat format : ObjectFormat.values()) {
            for (Compression compression : Compression.values()) {
                all.add(Arguments.of(format, compression));
            }
        }
        return all;
    }

    private Written write(ObjectFormat format, Compression compression) {
        String bucket = emulator.createBucket("formats");
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).prefix("matrix")
                .keyring(keyring).format(format).compression(compression)
                .allowPlainHttp(true).build();
        RunReport report = Pipeline.from(new ListSource(2)
                .stream("types", InMemoryTypeMatrix.SCHEMA, InMemoryTypeMatrix.rows())).to(sink).build().run();
        return new Written(bucket, report.stream("types").objectKeys());
    }

    private static S3ObjectReader reader() {
        return S3ObjectReader.builder().s3Client(s3).keyring(keyring).allowPlainHttp(true)
                .build();
    }

    private static String plaintext(Written written) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : written.keys) {
            try (InputStream in = reader().openContent(written.bucket, key)) {
                in.transferTo(out);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("combinations")
    void readRows_everyFormatAndCompression_equalsTheRowsWritten(ObjectFormat format,
            Compression compression) {
        Written written = write(format, compression);

        List<Row> back = new ArrayList<>();
        try (RowReader rows = reader().readRows(written.bucket, written.keys,
                InMemoryTypeMatrix.SCHEMA)) {
            rows.forEachRemaining(back::add);
        }

        List<Row> expected = format == ObjectFormat.JSONL ? InMemoryTypeMatrix.rowsAsJsonLinesReadThem()
                : InMemoryTypeMatrix.rows();
        assertThat(back).hasSameSizeAs(expected);
        for (int r = 0; r < expected.size(); r++) {
            for (int i = 0; i < InMemoryTypeMatrix.SCHEMA.size(); i++) {
                assertThat(back.get(r).get(i)).as("row %d, field %s", r,
                        InMemoryTypeMatrix.SCHEMA.field(i).name()).isEqualTo(expected.get(r).get(i));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("combinations")
    void write_everyFormatAndCompression_keyEndsInFormatAndCompression(ObjectFormat format,
            Compression compression) {
        Written written = write(format, compression);

        assertThat(written.keys).singleElement().asString()
                .endsWith("-00001." + format.extension() + compression.suffix());
    }

    @ParameterizedTest(name = "JSONL {0}")
    @MethodSource("compressions")
    void plainJackson_jsonLines_readsEveryValue(Compression compression) throws IOException {
        Written written = write(ObjectFormat.JSONL, compression);

        String[] lines = plaintext(written).split("\n");

        assertThat(lines).hasSize(InMemoryTypeMatrix.rows().size());
        JsonNode first = PLAIN_JSON.readTree(lines[0]);
        assertThat(first.get("decimal").decimalValue())
                .isEqualTo("12345678901234567890.123456789012345678");
        assertThat(first.get("int64").longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(first.get("float64").asText()).isEqualTo("NaN");
        assertThat(first.get("timestamp_tz").asText())
                .isEqualTo("2026-03-08T02:30:00.000000001-05:00");
        assertThat(PLAIN_JSON.readTree(lines[1]).get("string").asText())
                .isEqualTo("NUL \u0000 and astral \uD83D\uDE00 \uD834\uDD1E");
        assertThat(PLAIN_JSON.readTree(lines[2]).get("string").asText()).isEmpty();
        assertThat(PLAIN_JSON.readTree(lines[4]).get("string").isNull()).isTrue();
    }

    @ParameterizedTest(name = "CSV {0}")
    @MethodSource("compressions")
    void plainCsvParser_csv_readsHeaderValuesAndNullApartFromEmpty(Compression compression)
            throws IOException {
        Written written = write(ObjectFormat.CSV, compression);

        CSVFormat rfc4180 = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setNullString("").setQuoteMode(QuoteMode.ALL_NON_NULL).get();
        List<CSVRecord> records;
        try (CSVParser parser = CSVParser.parse(new StringReader(plaintext(written)),
                rfc4180)) {
            assertThat(parser.getHeaderNames()).isEqualTo(InMemoryTypeMatrix.SCHEMA.names());
            records = parser.getRecords();
        }

        assertThat(records).hasSize(InMemoryTypeMatrix.rows().size());
        assertThat(records.get(0).get("string")).isEqualTo("plain, \"quoted\"\r\nnext line");
        assertThat(records.get(0).get("decimal"))
                .isEqualTo("12345678901234567890.123456789012345678");
        assertThat(records.get(0).get("json")).isEqualTo("{\"a\":[1,2.5,null,\"x\"],\"b\":{}}");
        assertThat(records.get(1).get("string"))
                .isEqualTo("NUL \u0000 and astral \uD83D\uDE00 \uD834\uDD1E");
        assertThat(records.get(2).get("string")).isEmpty();
        assertThat(records.get(4).get("string")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void readRows_valueOfAnotherType_failsNamingObjectRecordAndFieldNeverTheValue(
            ObjectFormat format) {
        String bucket = emulator.createBucket("mismatch");
        Schema written = Schema.of(Field.of("ssn", FieldType.STRING));
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).keyring(keyring)
                .format(format).allowPlainHttp(true).build();
        RunReport report = Pipeline.from(new ListSource(10).stream("people", written,
                List.of(Row.of(written, "999-12-3456")))).to(sink).build().run();
        Schema expected = Schema.of(Field.of("ssn", FieldType.INT64));

        assertThatThrownBy(() -> {
            try (RowReader rows = reader().readRows(bucket,
                    report.stream("people").objectKeys(), expected)) {
                rows.next();
            }
        }).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("record 1").hasMessageContaining("'ssn'")
                .hasMessageContaining(report.stream("people").objectKeys().get(0))
                .hasMessageNotContaining("999").hasMessageNotContaining("3456");
    }

    static List<ObjectFormat> formats() {
        return List.of(ObjectFormat.values());
    }

    static List<Compression> compressions() {
        return List.of(Compression.values());
    }

    private record Written(String bucket, List<String> keys) {
    }
}
