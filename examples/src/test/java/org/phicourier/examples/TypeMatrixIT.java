package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.jdbc.OutOfRangePolicy;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.RecordReader;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.s3.S3Sink;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;
import org.phicourier.testing.TypeMatrix;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The round-trip type matrix: a row of every column type PostgreSQL, MariaDB and H2 offer goes
 * from the database through a pipeline into encrypted S3 objects, and reading it back gives the
 * source value exactly, or what the out-of-range policy documents, counted.
 */
class TypeMatrixIT {
    private static final LocalAesKeyring KEY = LocalAesKeyring.of(new byte[32]);

    @Test
    void roundTrip_postgresMatrix_readsBackEveryValueExactly() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.postgres().createScratch()) {
            TypeMatrix matrix = TypeMatrix.postgres();
            scratch.execute(matrix.statements("matrix").toArray(String[]::new));

            check(matrix, JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user()));
        }
    }

    @Test
    void roundTrip_mariadbMatrix_readsBackEveryValueOrCountsItsPolicy() throws Exception {
        try (TestDatabase.Scratch scratch = TestServices.mariadb().createScratch();
                Connection connection = scratch.connect();
                Statement statement = connection.createStatement()) {
            TypeMatrix matrix = TypeMatrix.mariadb();
            for (String sql : matrix.statements("matrix")) {
                statement.execute(sql);
            }

            check(matrix, JdbcSource.builder().jdbcUrl(scratch.url()).user(scratch.user()));
        }
    }

    @Test
    void roundTrip_h2Matrix_readsBackEveryValueExactly() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            TypeMatrix matrix = TypeMatrix.h2();
            for (String sql : matrix.statements("matrix")) {
                statement.execute(sql);
            }

            check(matrix, JdbcSource.builder().jdbcUrl(url).user("sa"));
            statement.execute("SHUTDOWN");
        }
    }

    private static void check(TypeMatrix matrix, JdbcSource.Builder builder) {
        JdbcSource source = builder.table("matrix").outOfRangeValues(OutOfRangePolicy.NULL)
                .build();
        Schema schema = source.discover().get(0).schema();
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("matrix");
        try (S3Client s3 = emulator.s3Client()) {
            RunReport report = Pipeline.from(source).to(S3Sink.builder().s3Client(s3)
                    .bucket(bucket).keyring(KEY).allowPlainHttp(true).build()).build().run();

            List<Row> rows = new ArrayList<>();
            List<ObjectNode> records = new ArrayList<>();
            read(s3, bucket, report, schema, rows, records);

            assertThat(rows).hasSize(2);
            assertThat(schema.size()).isEqualTo(matrix.columns().size());
            assertValues(matrix, rows.get(0));
            assertAllNull(matrix, rows.get(1), records.get(1));
            assertThat(report.stream("matrix").counters()).containsAllEntriesOf(counters(matrix));
        }
    }

    private static void read(S3Client s3, String bucket, RunReport report, Schema schema,
            List<Row> rows, List<ObjectNode> records) {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(KEY)
                .allowPlainHttp(true).build();
        List<String> keys = report.stream("matrix").objectKeys();
        try (RecordReader typed = reader.readRecords(bucket, keys);
                RecordReader raw = reader.readRecords(bucket, keys)) {
            while (typed.hasNext()) {
                rows.add(typed.nextRow(schema));
                records.add(raw.next());
            }
        }
    }

    private static void assertValues(TypeMatrix matrix, Row row) {
        for (int i = 0; i < row.size(); i++) {
            TypeMatrix.Column column = matrix.columns().get(i);
            assertThat(row.get(i)).as(matrix.database() + " " + column)
                    .isEqualTo(column.expected());
        }
    }

    private static void assertAllNull(TypeMatrix matrix, Row row, ObjectNode record) {
        for (int i = 0; i < row.size(); i++) {
            String name = row.schema().field(i).name();
            assertThat(row.isNull(i)).as(name).isTrue();
            assertThat(record.has(name)).as(name + " present").isTrue();
            assertThat(record.get(name).isNull()).as(name + " null").isTrue();
        }
    }

    private static Map<String, Long> counters(TypeMatrix matrix) {
        return matrix.columns().stream().filter(c -> c.counter().isPresent())
                .collect(Collectors.toMap(c -> c.counter().get(), c -> 1L));
    }
}
