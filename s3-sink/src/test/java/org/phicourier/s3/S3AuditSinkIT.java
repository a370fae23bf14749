package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phicourier.SinkException;
import org.phicourier.audit.AuditEvent;
import org.phicourier.audit.AuditVerification;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/** The S3 audit trail against the emulator: append-only events, verification, Object Lock. */
class S3AuditSinkIT {
    private static S3Emulator emulator;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        emulator = TestServices.emulator();
        s3 = emulator.s3Client();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static S3AuditSink sinkWith(String bucket, int events) {
        S3AuditSink sink = S3AuditSink.builder().s3Client(s3).bucket(bucket)
                .prefix("audit/trail").retention(Duration.ofDays(1)).allowPlainHttp(true)
                .build();
        for (int i = 0; i < events; i++) {
            sink.append(AuditEvent.next(sink.last(), AuditEvent.Type.OBJECT_COMMITTED, "run-1",
                    "etl", Instant.now(), Map.of("key", "data/" + i, "records", 5L)));
        }
        return sink;
    }

    private static String key(int sequence) {
        return String.format("audit/trail/%020d.json", sequence);
    }

    @Test
    void verify_untouchedTrail_isValid() {
        S3AuditSink sink = sinkWith(emulator.createBucket("audit"), 4);

        AuditVerification result = sink.verify();

        assertThat(result.valid()).as(result.toString()).isTrue();
        assertThat(result.eventsChecked()).isEqualTo(4);
    }

    @Test
    void verify_eventDeleted_failsAtItsSuccessorNamingItsKey() {
        String bucket = emulator.createBucket("audit");
        S3AuditSink sink = sinkWith(bucket, 4);
        s3.deleteObject(r -> r.bucket(bucket).key(key(1)));

        AuditVerification result = sink.verify();

        assertThat(result.firstBad()).contains(key(2));
        assertThat(result.problem()).contains("expected event 1 but found event 2");
    }

    @Test
    void verify_eventEdited_failsAtThatEvent() {
        String bucket = emulator.createBucket("audit");
        S3AuditSink sink = sinkWith(bucket, 4);
        String edited = sink.entries().get(2).json().replace("\"records\":5", "\"records\":6");
        s3.putObject(r -> r.bucket(bucket).key(key(2)), RequestBody.fromString(edited));

        AuditVerification result = sink.verify();

        assertThat(result.firstBad()).contains(key(2));
        assertThat(result.problem()).contains("was changed");
    }

    @Test
    void append_sequenceTaken_failsWithoutReplacingTheEvent() {
        String bucket = emulator.createBucket("audit");
        S3AuditSink sink = sinkWith(bucket, 2);
        AuditEvent stale = AuditEvent.next(java.util.Optional.empty(),
                AuditEvent.Type.RUN_STARTED, "run-2", "other", Instant.now(), Map.of());

        assertThatThrownBy(() -> sink.append(stale)).isInstanceOf(SinkException.class)
                .hasMessageContaining("exists already");
        assertThat(sink.verify().valid()).isTrue();
    }

    @Test
    void append_bucketWithObjectLock_locksEveryEventInComplianceMode() {
        String bucket = "audit-locked-" + Long.toHexString(System.nanoTime());
        s3.createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
        sinkWith(bucket, 2);

        List<HeadObjectResponse> heads = List.of(
                s3.headObject(r -> r.bucket(bucket).key(key(0))),
                s3.headObject(r -> r.bucket(bucket).key(key(1))));

        assertThat(heads).allSatisfy(head -> {
            assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
            assertThat(head.objectLockRetainUntilDate()).isAfter(Instant.now());
        });
    }

    @Test
    void append_bucketWithoutObjectLock_writesWithoutRetention() {
        String bucket = emulator.createBucket("audit");
        sinkWith(bucket, 1);

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key(0)));

        assertThat(head.objectLockMode()).isNull();
    }
}
