package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.CommitmentPolicy;
import org.phicourier.crypto.EnvelopeVersion;
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

/**
 * The reader API for consumers: the records of a whole run (from its report's object keys, or
 * from a prefix) come back in order, across objects written in either format and with their
 * envelopes in instruction files.
 */
class ReaderApiIT {
    private static final Schema SCHEMA = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("code", FieldType.STRING));
    private static final Keyring KEYRING = LocalAesKeyring.of(new byte[32]);

    @Test
    void readRecords_ofARunsObjects_yieldsEveryRecordInOrder() {
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("reader");
        try (S3Client s3 = emulator.s3Client()) {
            RunReport report = run(s3, bucket, EnvelopeVersion.V2);
            List<String> keys = report.stream("visits").objectKeys();
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(KEYRING)
                    .commitmentPolicy(CommitmentPolicy.ALLOW_NON_COMMITTING)
                    .instructionFiles(true).allowPlainHttp(true).build();

            assertThat(keys).hasSize(3);
            assertThat(reader.listObjects(bucket, "run/")).isEqualTo(keys);
            assertThat(ids(reader, bucket, keys)).isEqualTo(IntStream.rangeClosed(1, 7)
                    .asLongStream().boxed().toList());
        }
    }

    @Test
    void recordReader_toString_namesTheObjectNotTheRecords() {
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("reader");
        try (S3Client s3 = emulator.s3Client()) {
            String key = run(s3, bucket, EnvelopeVersion.V3).stream("visits").objectKeys()
                    .get(0);
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(KEYRING)
                    .allowPlainHttp(true).build();
            try (RecordReader records = reader.readRecords(bucket, key)) {
                records.next();

                assertThat(records.toString()).isEqualTo("RecordReader[" + key + ", record 1]");
            }
        }
    }

    private static RunReport run(S3Client s3, String bucket, EnvelopeVersion version) {
        List<Row> rows = IntStream.rangeClosed(1, 7)
                .mapToObj(i -> Row.of(SCHEMA, (long) i, "code-secret-" + i)).toList();
        S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).prefix("run").keyring(KEYRING)
                .formatVersion(version).instructionFile(true).maxRecordsPerObject(3)
                .partSize(5 << 20).allowPlainHttp(true).build();
        return Pipeline.from(new ListSource(2).stream("visits", SCHEMA, rows)).to(sink).build()
                .run();
    }

    private static List<Long> ids(S3ObjectReader reader, String bucket, List<String> keys) {
        List<Long> ids = new ArrayList<>();
        try (RecordReader records = reader.readRecords(bucket, keys)) {
            records.forEachRemaining((ObjectNode record) -> ids.add(record.get("id").asLong()));
        }
        return ids;
    }
}
