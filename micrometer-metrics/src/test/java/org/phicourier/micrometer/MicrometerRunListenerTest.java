package org.phicourier.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.phicourier.metrics.CommittedObject;

class MicrometerRunListenerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerRunListener listener = MicrometerRunListener.of(registry);

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void onBatch_twoBatches_countsRecordsReadWrittenAndBatchesPerStream() {
        listener.onStreamStarted("patients", OptionalLong.empty());

        listener.onBatch("patients", 100, 98);
        listener.onBatch("patients", 50, 50);

        assertThat(count("phicourier.records.read", "stream", "patients")).isEqualTo(150);
        assertThat(count("phicourier.records.written", "stream", "patients")).isEqualTo(148);
        assertThat(count("phicourier.batches", "stream", "patients")).isEqualTo(2);
    }

    @Test
    void onBookmarkSaved_afterReading_lagIsWhatNoBookmarkCovers() {
        listener.onStreamStarted("patients", OptionalLong.empty());
        listener.onBatch("patients", 100, 100);
        listener.onBookmarkSaved("patients", 60, 100);

        listener.onBatch("patients", 30, 30);

        assertThat(registry.get("phicourier.bookmark.lag").tags("stream", "patients").gauge()
                .value()).isEqualTo(70);
    }

    @Test
    void onObjectCommitted_withSize_countsObjectsAndBytes() {
        listener.onObjectCommitted(new CommittedObject("patients", "p/patients/1.jsonl.gz",
                OptionalLong.of(10), OptionalLong.of(2048), Optional.empty()));

        assertThat(count("phicourier.objects.committed", "stream", "patients")).isEqualTo(1);
        assertThat(count("phicourier.bytes.committed", "stream", "patients")).isEqualTo(2048);
    }

    @Test
    void onRetryThrottledQuarantined_countByOperationAndRule() {
        listener.onRetry("s3.uploadPart", 2);
        listener.onThrottled("s3.uploadPart");
        listener.onQuarantined("patients", "bad-date", 3);

        assertThat(count("phicourier.retries", "operation", "s3.uploadPart")).isEqualTo(1);
        assertThat(count("phicourier.throttled", "operation", "s3.uploadPart")).isEqualTo(1);
        assertThat(count("phicourier.records.quarantined", "stream", "patients", "rule",
                "bad-date")).isEqualTo(3);
    }

    @Test
    void meters_afterARun_carryOnlyStreamRuleAndOperationNames() {
        listener.onStreamStarted("patients", OptionalLong.of(10));
        listener.onBatch("patients", 10, 10);
        listener.onObjectCommitted(new CommittedObject("patients", "p/patients/1.jsonl.gz",
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty()));

        List<String> tagKeys = registry.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getKey).distinct().toList();

        assertThat(tagKeys).containsOnly("stream");
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId()
                .getName()).startsWith("phicourier."));
    }
}
