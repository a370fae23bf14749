package org.phicourier.benchmarks.jmh;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.phicourier.deid.DeidKeys;
import org.phicourier.deid.Deidentifier;
import org.phicourier.deid.Preset;
import org.phicourier.deid.SubjectResolver;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.s3.ObjectFormat;
import org.phicourier.s3.spi.RecordFormat;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.phicourier.spi.StreamTransform;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * Records per second on one thread (so per core) of each stage of a JDBC-to-S3 run, beside the
 * bare limits measured the same way: reading and decoding a PostgreSQL table through the JDBC
 * source beside {@code COPY ... TO STDOUT} into nothing through the same driver; one
 * de-identification operation per value; JSON Lines and CSV encoding; zstd (level 3, the sink's
 * default) and gzip (level 1) as the sink streams them beside one call over the same bytes.
 * AES-GCM, ours beside JCE's, is in {@code crypto-benchmarks}. The rows are the benchmark
 * table's shape (16 PHI-shaped columns, about 250 bytes as COPY text).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StageBenchmark {
    static final int BATCH = 1_000;
    static final int TABLE_ROWS = 100_000;
    static final String TABLE = "phi_courier_bench.patients_100000";
    static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private static final Schema PATIENTS = Schema.of(Field.of("id", FieldType.STRING),
            Field.of("mrn", FieldType.STRING), Field.of("ssn", FieldType.STRING),
            Field.of("first_name", FieldType.STRING), Field.of("last_name", FieldType.STRING),
            Field.of("birth_date", FieldType.DATE), Field.of("gender", FieldType.STRING),
            Field.of("street", FieldType.STRING), Field.of("city", FieldType.STRING),
            Field.of("state", FieldType.STRING), Field.of("zip", FieldType.STRING),
            Field.of("phone", FieldType.STRING), Field.of("email", FieldType.STRING),
            Field.of("created_at", FieldType.TIMESTAMP_TZ),
            Field.of("balance", FieldType.DECIMAL), Field.of("note", FieldType.STRING));

    /** A batch of benchmark-shaped rows and their JSON Lines bytes. */
    @State(Scope.Thread)
    public static class Rows {
        RowBatch batch;
        byte[] jsonLines;

        /** Builds the rows once per trial. */
        @Setup
        public void setUp() throws IOException {
            List<Row> rows = new ArrayList<>(BATCH);
            for (int g = 1; g <= BATCH; g++) {
                rows.add(Row.of(PATIENTS, "a3f1c2d4-0000-4000-8000-" + String.format("%012d", g),
                        "MRN" + String.format("%09d", g), String.format("999-%02d-%04d",
                                g % 100, g % 10_000), "Grace" + g % 997, "Fontaine" + g % 991,
                        LocalDate.of(1930, 1, 1).plusDays(g % 33_000), g % 2 == 0 ? "F" : "M",
                        g % 500 + " Elm Street", "Riverton", "MA",
                        String.format("%05d", g % 99_999), String.format("555-01%02d", g % 100),
                        "p" + g + "@example.org",
                        OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMinutes(g),
                        BigDecimal.valueOf(g % 100_000, 2), md5Hex(g * 7).repeat(3)));
            }
            batch = RowBatch.of(PATIENTS, rows, 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            encode(ObjectFormat.JSONL, batch, out);
            jsonLines = out.toByteArray();
        }
    }

    /** The benchmark table's note: the MD5 of a number in hex, as PostgreSQL's md5() gives. */
    static String md5Hex(int number) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(Integer.toString(number).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One de-identification operation bound to a stream of (patient, value) records. */
    @State(Scope.Thread)
    public static class Operation {
        /** The operation spec and the kind of value it gets. */
        @org.openjdk.jmh.annotations.Param({"keep:text", "redact:text", "pseudonymize:text",
            "ff1(ssn):ssn", "zip3:zip", "mask-last(4):text", "year:date", "shift:date",
            "birth-year:date"})
        public String operation;

        StreamTransform transform;
        RowBatch batch;

        /** Binds the operation once per trial. */
        @Setup
        public void setUp() {
            String spec = operation.substring(0, operation.lastIndexOf(':'));
            String kind = operation.substring(operation.lastIndexOf(':') + 1);
            FieldType type = kind.equals("date") ? FieldType.DATE : FieldType.STRING;
            StreamDescriptor stream = StreamDescriptor.of("values", Schema.of(
                    Field.of("patient", FieldType.STRING), Field.of("value", type)));
            Deidentifier deid = Deidentifier.builder().preset(Preset.safeHarbor())
                    .keys(DeidKeys.of(new byte[32])).referenceDate(LocalDate.of(2026, 1, 1))
                    .subject("values", SubjectResolver.field("patient"))
                    .stream("values", rules -> rules.rule("patient", "keep")
                            .rule("value", spec)).build();
            transform = deid.bind(stream);
            List<Row> rows = new ArrayList<>(BATCH);
            for (int g = 1; g <= BATCH; g++) {
                rows.add(Row.of(stream.schema(), "patient-" + g, value(kind, g)));
            }
            batch = RowBatch.of(stream.schema(), rows, 1);
        }

        private static Object value(String kind, int g) {
            return switch (kind) {
                case "ssn" -> String.format("%03d-%02d-%04d", 100 + g % 600, 1 + g % 98,
                        1 + g % 9_998);
                case "zip" -> String.format("%05d", 1_000 + g % 98_000);
                case "date" -> LocalDate.of(1930, 1, 1).plusDays(g * 17L % 33_000);
                default -> "Fontaine-" + g;
            };
        }
    }

    /** A connection for the bare COPY limit. */
    @State(Scope.Thread)
    public static class Database {
        Connection connection;
        JdbcSource source;
        StreamDescriptor stream;

        /** Connects once per trial. */
        @Setup
        public void setUp() throws SQLException {
            connection = DriverManager.getConnection(JDBC_URL, "postgres", null);
            source = JdbcSource.builder().jdbcUrl(JDBC_URL).user("postgres").table(TABLE)
                    .fetchSize(5_000).build();
            stream = source.discover().get(0);
        }
    }

    /**
     * Reads and decodes the 100,000-row benchmark table through the JDBC source.
     *
     * @param database the source
     * @param hole receives the batches
     */
    @Benchmark
    @OperationsPerInvocation(TABLE_ROWS)
    public void jdbcReadAndDecode(Database database, Blackhole hole) {
        try (StreamReader reader = database.source.open(database.stream)) {
            Optional<RowBatch> batch = reader.next();
            while (batch.isPresent()) {
                hole.consume(batch.get());
                batch = reader.next();
            }
        }
    }

    /**
     * The read limit: {@code COPY ... TO STDOUT} of the same table into nothing, same driver.
     *
     * @param database the connection
     * @return bytes copied
     * @throws Exception when the copy fails
     */
    @Benchmark
    @OperationsPerInvocation(TABLE_ROWS)
    public long limitCopyToNothing(Database database) throws Exception {
        CopyManager copy = new CopyManager(database.connection.unwrap(BaseConnection.class));
        return copy.copyOut("COPY " + TABLE + " TO STDOUT", OutputStream.nullOutputStream());
    }

    /**
     * One de-identification operation on one value per record.
     *
     * @param operation the bound operation and its records
     * @return the transformed batch
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public RowBatch deidentifyOneValue(Operation operation) {
        return operation.transform.apply(operation.batch);
    }

    /**
     * JSON Lines encoding of benchmark-shaped rows into nothing.
     *
     * @param rows the rows
     * @throws IOException never
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void encodeJsonLines(Rows rows) throws IOException {
        encode(ObjectFormat.JSONL, rows.batch, OutputStream.nullOutputStream());
    }

    /**
     * CSV encoding of benchmark-shaped rows into nothing.
     *
     * @param rows the rows
     * @throws IOException never
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void encodeCsv(Rows rows) throws IOException {
        encode(ObjectFormat.CSV, rows.batch, OutputStream.nullOutputStream());
    }

    /**
     * zstd level 3 streamed, as the sink compresses, over the rows' JSON Lines bytes.
     *
     * @param rows the bytes
     * @throws IOException never
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void compressZstdStreamed(Rows rows) throws IOException {
        try (ZstdOutputStream zstd = new ZstdOutputStream(OutputStream.nullOutputStream(), 3)) {
            zstd.write(rows.jsonLines);
        }
    }

    /**
     * The zstd limit: one call over the same bytes.
     *
     * @param rows the bytes
     * @return the compressed bytes
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] limitZstdOneCall(Rows rows) {
        return Zstd.compress(rows.jsonLines, 3);
    }

    /**
     * gzip level 1 streamed over the rows' JSON Lines bytes.
     *
     * @param rows the bytes
     * @throws IOException never
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void compressGzipStreamed(Rows rows) throws IOException {
        try (GZIPOutputStream gzip = new GZIPOutputStream(OutputStream.nullOutputStream(),
                64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(rows.jsonLines);
        }
    }

    private static void encode(RecordFormat format, RowBatch batch, OutputStream out)
            throws IOException {
        RecordFormat.Encoder encoder = format.openEncoder(out, batch.schema());
        for (Row row : batch.rows()) {
            encoder.write(row);
        }
        encoder.finish();
    }
}
