package org.phicourier.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.IntegrityException;

class FileAuditSinkTest {
    @TempDir
    Path dir;

    private FileAuditSink sinkWith(int events) {
        FileAuditSink sink = FileAuditSink.of(dir.resolve("audit.jsonl"));
        for (int i = 0; i < events; i++) {
            sink.append(AuditEvent.next(sink.last(), AuditEvent.Type.OBJECT_COMMITTED, "run-1",
                    "etl-service", Instant.parse("2026-12-04T10:00:00Z").plusSeconds(i),
                    Map.of("stream", "patients", "key", "p/patients/" + i, "records", 10L)));
        }
        return sink;
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(dir.resolve("audit.jsonl")));
    }

    private void rewrite(List<String> lines) throws Exception {
        Files.write(dir.resolve("audit.jsonl"), lines, StandardCharsets.UTF_8);
    }

    @Test
    void verify_untouchedChain_isValid() {
        FileAuditSink sink = sinkWith(5);

        AuditVerification result = sink.verify();

        assertThat(result.valid()).isTrue();
        assertThat(result.eventsChecked()).isEqualTo(5);
    }

    @Test
    void last_afterAppends_continuesTheChain() {
        FileAuditSink sink = sinkWith(3);

        AuditEvent last = sink.last().orElseThrow();

        assertThat(last.sequence()).isEqualTo(2);
        assertThat(last.previousHash()).isEqualTo(AuditEvent.fromJson(
                sink.entries().get(1).json()).hash());
    }

    @Test
    void verify_eventDeleted_failsAtItsSuccessor() throws Exception {
        FileAuditSink sink = sinkWith(5);
        List<String> lines = lines();
        lines.remove(2);
        rewrite(lines);

        AuditVerification result = sink.verify();

        assertThat(result.valid()).isFalse();
        assertThat(result.firstBad()).contains("line 3");
        assertThat(result.eventsChecked()).isEqualTo(2);
        assertThat(result.problem()).contains("expected event 2 but found event 3");
    }

    @Test
    void verify_eventEdited_failsAtThatEvent() throws Exception {
        FileAuditSink sink = sinkWith(5);
        List<String> lines = lines();
        lines.set(3, lines.get(3).replace("\"records\":10", "\"records\":11"));
        rewrite(lines);

        AuditVerification result = sink.verify();

        assertThat(result.firstBad()).contains("line 4");
        assertThat(result.problem()).contains("event 3 was changed");
    }

    @Test
    void verify_editedEventWithRecomputedHash_failsAtItsSuccessor() throws Exception {
        FileAuditSink sink = sinkWith(4);
        List<String> lines = lines();
        AuditEvent original = AuditEvent.fromJson(lines.get(1));
        AuditEvent forged = AuditEvent.next(Optional.of(AuditEvent.fromJson(lines.get(0))),
                original.type(), original.runId(), "someone-else", original.time(),
                original.details());
        lines.set(1, forged.toJson());
        rewrite(lines);

        AuditVerification result = sink.verify();

        assertThat(result.firstBad()).contains("line 3");
        assertThat(result.problem()).contains("does not chain");
    }

    @Test
    void verify_eventsSwapped_failsAtTheFirstMovedEvent() throws Exception {
        FileAuditSink sink = sinkWith(4);
        List<String> lines = lines();
        String moved = lines.remove(1);
        lines.add(2, moved);
        rewrite(lines);

        AuditVerification result = sink.verify();

        assertThat(result.firstBad()).contains("line 2");
    }

    @Test
    void verify_firstEventDeleted_failsAtTheNewFirstLine() throws Exception {
        FileAuditSink sink = sinkWith(3);
        List<String> lines = lines();
        lines.remove(0);
        rewrite(lines);

        assertThat(sink.verify().firstBad()).contains("line 1");
    }

    @Test
    void verify_garbledLine_namesItWithoutQuotingIt() throws Exception {
        FileAuditSink sink = sinkWith(3);
        List<String> lines = lines();
        lines.set(1, "{\"sequence\":1,\"secret-value-123\" oops");
        rewrite(lines);

        AuditVerification result = sink.verify();

        assertThat(result.firstBad()).contains("line 2");
        assertThat(result.toString()).doesNotContain("secret-value-123");
    }

    @Test
    void last_garbledLastLine_failsClosedWithoutQuotingIt() throws Exception {
        FileAuditSink sink = sinkWith(2);
        List<String> lines = lines();
        lines.set(1, "{\"secret-value-123\"");
        rewrite(lines);

        assertThatThrownBy(sink::last).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("line 2").hasMessageNotContaining("secret-value-123");
    }

    @Test
    void fromJson_whatToJsonWrote_isTheSameEvent() {
        AuditEvent event = AuditEvent.next(Optional.empty(), AuditEvent.Type.RUN_STARTED,
                "run-1", "etl", Instant.parse("2026-12-04T10:00:00Z"),
                Map.of("streams", 3L, "source", "JdbcSource[streams=[a]]", "ok", true));

        assertThat(AuditEvent.fromJson(event.toJson())).isEqualTo(event);
        assertThat(event.computeHash()).isEqualTo(event.hash());
    }
}
