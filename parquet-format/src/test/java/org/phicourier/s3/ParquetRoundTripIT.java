package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.parquet.ParquetCodec;
import org.phicourier.s3.parquet.ParquetFormat;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/** The type matrix round-trips through Parquet objects on the emulator. */
class ParquetRoundTripIT {
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

    private static Written write(ParquetFormat format, Schema schema, List<Row> rows) {
        String bucket = emulator.createBucket("parquet");
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).prefix("matrix")
                .keyring(keyring).format(format).allowPlainHttp(true).build();
        RunReport report = Pipeline.from(new ListSource(2).stream("types", schema, rows))
                .to(sink).build().run();
        return new Written(bucket, report.stream("types").objectKeys());
    }

    private static Written writeMatrix(ParquetFormat format) {
        return write(format, InMemoryTypeMatrix.SCHEMA, InMemoryTypeMatrix.rows());
    }

    private static S3ObjectReader reader(ParquetFormat format) {
        return S3ObjectReader.builder().s3Client(s3).keyring(keyring).format(format)
                .allowPlainHttp(true).build();
    }

    private static List<Row> readRows(ParquetFormat format, Written written, Schema schema) {
        List<Row> back = new ArrayList<>();
        try (RowReader rows = reader(format).readRows(written.bucket, written.keys, schema)) {
            rows.forEachRemaining(back::add);
        }
        return back;
    }

    private static byte[] decrypted(Written written) throws IOException {
        try (InputStream in = reader(ParquetFormat.create()).openContent(written.bucket,
                written.keys.get(0))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ParquetCodec.class)
    void readRows_typeMatrixEveryCodec_equalsTheRowsWritten(ParquetCodec codec) {
        ParquetFormat format = ParquetFormat.builder().codec(codec).build();
        Written written = writeMatrix(format);

        List<Row> back = readRows(format, written, InMemoryTypeMatrix.SCHEMA);

        List<Row> expected = InMemoryTypeMatrix.rows();
        assertThat(back).hasSameSizeAs(expected);
        for (int r = 0; r < expected.size(); r++) {
            for (int i = 0; i < InMemoryTypeMatrix.SCHEMA.size(); i++) {
                assertThat(back.get(r).get(i)).as("row %d, field %s", r,
                        InMemoryTypeMatrix.SCHEMA.field(i).name())
                        .isEqualTo(expected.get(r).get(i));
            }
        }
    }

    @Test
    void write_parquet_keyEndsInParquetWithoutCompressionSuffixAndMetadataSaysParquet() {
        Written written = writeMatrix(ParquetFormat.create());

        assertThat(written.keys).singleElement().asString().endsWith("-00001.parquet");
        assertThat(s3.headObject(r -> r.bucket(written.bucket).key(written.keys.get(0)))
                .metadata()).containsEntry("phi-courier-content", "parquet");
    }

    @Test
    void plainParquetJava_decryptedObject_showsTheLogicalTypes() throws IOException {
        Written written = writeMatrix(ParquetFormat.create());

        MessageType schema;
        try (ParquetFileReader file = ParquetFileReader.open(new MemoryFile(
                decrypted(written)))) {
            schema = file.getFooter().getFileMetaData().getSchema();
        }

        assertThat(logical(schema, "int32")).isEqualTo(LogicalTypeAnnotation.intType(32, true));
        assertThat(logical(schema, "int64")).isEqualTo(LogicalTypeAnnotation.intType(64, true));
        assertThat(logical(schema, "date")).isEqualTo(LogicalTypeAnnotation.dateType());
        assertThat(logical(schema, "time"))
                .isEqualTo(LogicalTypeAnnotation.timeType(false, TimeUnit.NANOS));
        assertThat(logical(schema, "timestamp"))
                .isEqualTo(LogicalTypeAnnotation.timestampType(false, TimeUnit.NANOS));
        assertThat(logical(schema, "timestamp_tz"))
                .isEqualTo(LogicalTypeAnnotation.timestampType(true, TimeUnit.NANOS));
        assertThat(logical(schema, "json")).isEqualTo(LogicalTypeAnnotation.jsonType());
        assertThat(logical(schema, "string")).isEqualTo(LogicalTypeAnnotation.stringType());
        assertThat(schema.getType("float64").asPrimitiveType().getPrimitiveTypeName())
                .isEqualTo(PrimitiveTypeName.DOUBLE);
        assertThat(schema.getType("timestamp_tz__offset").asPrimitiveType()
                .getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.INT32);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ParquetCodec.class)
    void plainParquetJava_exampleGroupReaderEveryCodec_readsTheValues(ParquetCodec codec)
            throws IOException {
        Written written = writeMatrix(ParquetFormat.builder().codec(codec).build());

        List<Group> groups = new ArrayList<>();
        try (ParquetReader<Group> reader = new GroupReader(new MemoryFile(decrypted(written)))
                .build()) {
            for (Group group = reader.read(); group != null; group = reader.read()) {
                groups.add(group);
            }
        }

        assertThat(groups).hasSize(InMemoryTypeMatrix.rows().size());
        Group first = groups.get(0);
        assertThat(first.getLong("int64", 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(first.getString("string", 0)).isEqualTo("plain, \"quoted\"\r\nnext line");
        assertThat(first.getString("decimal", 0))
                .isEqualTo("12345678901234567890.123456789012345678");
        // 2026-03-08T02:30:00.000000001-05:00 is 07:30 UTC; the offset is in seconds.
        assertThat(first.getLong("timestamp_tz", 0)).isEqualTo(1_772_955_000_000_000_001L);
        assertThat(first.getInteger("timestamp_tz__offset", 0)).isEqualTo(-5 * 3600);
        assertThat(first.getString("json", 0)).isEqualTo("{\"a\":[1,2.5,null,\"x\"],\"b\":{}}");
        assertThat(groups.get(4).getFieldRepetitionCount("string")).isZero();
    }

    @Test
    void readRows_declaredDecimal_storedAsFixedDecimalAndReadBackAtItsScale()
            throws IOException {
        Schema schema = Schema.of(Field.builder("amount", FieldType.DECIMAL).precision(38)
                .scale(18).build());
        List<Row> rows = List.of(Row.of(schema, new BigDecimal("-12345678901234567890.5")),
                Row.of(schema, new BigDecimal("0.000000000000000001")));
        Written written = write(ParquetFormat.create(), schema, rows);

        List<Row> back = readRows(ParquetFormat.create(), written, schema);

        assertThat(back).extracting(row -> row.get(0)).containsExactly(
                new BigDecimal("-12345678901234567890.500000000000000000"),
                new BigDecimal("0.000000000000000001"));
        try (ParquetFileReader file = ParquetFileReader.open(new MemoryFile(
                decrypted(written)))) {
            MessageType stored = file.getFooter().getFileMetaData().getSchema();
            assertThat(stored.getType("amount").asPrimitiveType().getPrimitiveTypeName())
                    .isEqualTo(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY);
            assertThat(logical(stored, "amount"))
                    .isEqualTo(LogicalTypeAnnotation.decimalType(18, 38));
        }
    }

    @Test
    void build_parquetWithOuterGzip_failsNamingTheConflict() {
        S3Sink.Builder builder = S3Sink.builder().s3Client(s3).bucket("any").keyring(keyring)
                .format(ParquetFormat.create()).compression(Compression.GZIP)
                .allowPlainHttp(true);

        assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("format parquet compresses its own content")
                .hasMessageContaining("compression must be none");
    }

    @Test
    void readRows_valueOfAnotherType_failsNamingObjectRecordAndFieldNeverTheValue() {
        Schema written = Schema.of(Field.of("ssn", FieldType.STRING));
        Written objects = write(ParquetFormat.create(), written,
                List.of(Row.of(written, "999-12-3456")));
        Schema expected = Schema.of(Field.of("ssn", FieldType.INT64));

        assertThatThrownBy(() -> readRows(ParquetFormat.create(), objects, expected))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("record 1").hasMessageContaining("'ssn'")
                .hasMessageContaining(objects.keys.get(0))
                .hasMessageNotContaining("999").hasMessageNotContaining("3456");
    }

    @Test
    void write_parquetLoggersAtTrace_refusedWithoutAnyValueInTheLogs() {
        Schema schema = Schema.of(Field.of("ssn", FieldType.STRING),
                Field.of("mrn", FieldType.INT64));
        String bucket = emulator.createBucket("parquet-logs");
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).keyring(keyring)
                .format(ParquetFormat.create()).allowPlainHttp(true).build();
        String text;
        try (CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            assertThatThrownBy(() -> Pipeline.from(new ListSource(2).stream("people", schema,
                    List.of(Row.of(schema, "999-12-3456", 7_770_001L)))).to(sink).build().run())
                    .hasRootCauseMessage("Parquet writing refused: logger"
                            + " org.apache.parquet.io.MessageColumnIO is at DEBUG, where"
                            + " parquet-java logs record values; set org.apache.parquet to INFO"
                            + " or coarser");
            text = logs.text();
        }

        assertThat(text).doesNotContain("999-12-3456").doesNotContain("7770001");
    }

    @Test
    void readRows_parquetLoggersAtTrace_refusedWithoutAnyValueInTheLogs() {
        Schema schema = Schema.of(Field.of("ssn", FieldType.STRING));
        Written written = write(ParquetFormat.create(), schema,
                List.of(Row.of(schema, "999-12-3456")));
        String text;
        try (CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            assertThatThrownBy(() -> readRows(ParquetFormat.create(), written, schema))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(written.keys.get(0))
                    .hasMessageContaining("Parquet reading refused");
            text = logs.text();
        }

        assertThat(text).doesNotContain("999-12-3456");
    }

    @Test
    void readRows_objectLargerThanReadLimit_failsNamingTheLimit() {
        Written written = writeMatrix(ParquetFormat.create());
        ParquetFormat small = ParquetFormat.builder().maxReadBytes(100).build();

        assertThatThrownBy(() -> readRows(small, written, InMemoryTypeMatrix.SCHEMA))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(written.keys.get(0)).hasMessageContaining("maxReadBytes");
    }

    @Test
    void readRecords_parquetObject_failsPointingToReadRows() {
        Written written = writeMatrix(ParquetFormat.create());

        assertThatThrownBy(() -> {
            try (RecordReader records = reader(ParquetFormat.create()).readRecords(
                    written.bucket, written.keys)) {
                records.hasNext();
            }
        }).isInstanceOf(ConfigurationException.class).hasMessageContaining("readRows");
    }

    @Test
    void readRows_readerWithoutParquetRegistered_failsNamingTheObject() {
        Written written = writeMatrix(ParquetFormat.create());
        S3ObjectReader plain = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();

        assertThatThrownBy(() -> {
            try (RowReader rows = plain.readRows(written.bucket, written.keys,
                    InMemoryTypeMatrix.SCHEMA)) {
                rows.hasNext();
            }
        }).isInstanceOf(IntegrityException.class).hasMessageContaining(written.keys.get(0))
                .hasMessageContaining("S3ObjectReader.Builder.format");
    }

    private static LogicalTypeAnnotation logical(MessageType schema, String field) {
        return schema.getType(field).getLogicalTypeAnnotation();
    }

    private record Written(String bucket, List<String> keys) {
    }

    private static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(InputFile file) {
            super(file);
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    /** Decrypted test bytes as a Parquet input, kept in memory. */
    private static final class MemoryFile implements InputFile {
        private final byte[] bytes;

        MemoryFile(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long getLength() {
            return bytes.length;
        }

        @Override
        public SeekableInputStream newStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() {
                    return bytes.length - in.available();
                }

                @Override
                public void seek(long position) {
                    in.reset();
                    in.skip(position);
                }
            };
        }
    }
}
