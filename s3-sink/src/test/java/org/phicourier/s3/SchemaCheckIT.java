package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.deid.SinkQuarantine;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.schema.FieldRule;
import org.phicourier.schema.SchemaCheck;
import org.phicourier.schema.ViolationPolicy;
import org.phicourier.testdoubles.ListSource;
import org.phicourier.testing.CapturedLogs;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;

/** A record that breaks a declared rule is quarantined, encrypted, and the rest is delivered. */
class SchemaCheckIT {
    private static final Schema SCHEMA = Schema.of(Field.of("id", FieldType.INT64),
            Field.of("ssn", FieldType.STRING));
    private static final LocalAesKeyring KEY = LocalAesKeyring.of(new byte[32]);

    @Test
    void run_recordBreaksDeclaredRule_isQuarantinedEncryptedAndTheBatchDelivered() {
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("schema-check");
        try (S3Client s3 = emulator.s3Client();
                CapturedLogs logs = CapturedLogs.everythingAtTrace()) {
            S3Sink sink = S3Sink.builder().s3Client(s3).bucket(bucket).keyring(KEY)
                    .allowPlainHttp(true).build();
            SinkQuarantine quarantine = SinkQuarantine.of(sink);
            SchemaCheck check = SchemaCheck.builder().onViolation(ViolationPolicy.QUARANTINE)
                    .quarantine(quarantine).rule(FieldRule.builder("ssn")
                            .pattern("\\d{3}-\\d{2}-\\d{4}").build()).build();
            List<Row> rows = List.of(Row.of(SCHEMA, 1L, "999-10-0001"),
                    Row.of(SCHEMA, 2L, "Garcia-999100002"), Row.of(SCHEMA, 3L, "999-10-0003"));

            RunReport report = Pipeline.from(new ListSource(10).stream("patients", SCHEMA, rows))
                    .through(check).to(sink).build().run();
            quarantine.close();

            assertThat(report.stream("patients").recordsWritten()).isEqualTo(2);
            assertThat(report.stream("patients").counters())
                    .containsEntry("schema.violations.ssn.pattern", 1L)
                    .containsEntry("schema.records.quarantined", 1L);
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(KEY)
                    .allowPlainHttp(true).build();
            assertThat(records(reader, bucket, "patients/")).extracting(r -> r.get("id").asLong())
                    .containsExactly(1L, 3L);
            List<String> held = reader.listObjects(bucket, "patients.quarantine/");
            assertThat(held).hasSize(1);
            assertThat(new String(s3.getObjectAsBytes(b -> b.bucket(bucket).key(held.get(0)))
                    .asByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("Garcia");
            ObjectNode record = records(reader, bucket, "patients.quarantine/").get(0);
            assertThat(record.get("reason").asText()).isEqualTo("rule 'ssn.pattern' violated");
            assertThat(record.get("field").asText()).isEqualTo("ssn");
            assertThat(record.get("position").asLong()).isEqualTo(2);
            assertThat(logs.text()).doesNotContain("Garcia").doesNotContain("999-10-000");
        }
    }

    private static List<ObjectNode> records(S3ObjectReader reader, String bucket, String prefix) {
        List<ObjectNode> records = new ArrayList<>();
        List<String> keys = reader.listObjects(bucket, prefix).stream()
                .filter(k -> k.endsWith(".jsonl.gz")).toList();
        try (RecordReader each = reader.readRecords(bucket, keys)) {
            each.forEachRemaining(records::add);
        }
        return records;
    }
}
