package org.phicourier.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.IntegrityException;
import org.phicourier.spi.StoredObject;

class RunManifestTest {
    private static final RunManifest MANIFEST = RunManifest.of("20260101T000000Z-0a0b0c0d", 7,
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:01:00Z"),
            RunManifest.Outcome.FAILED, List.of(new RunManifest.StreamEntry("patients", 3,
                    List.of(new StoredObject("p/g000003-x/00000001.jsonl.gz", 1, 10, 99)),
                    List.of(2L))));

    @Test
    void fromJson_ofToJson_givesTheSameManifest() {
        RunManifest read = RunManifest.fromJson(MANIFEST.toJson());

        assertThat(read.runId()).isEqualTo(MANIFEST.runId());
        assertThat(read.epoch()).isEqualTo(7);
        assertThat(read.outcome()).isEqualTo(RunManifest.Outcome.FAILED);
        assertThat(read.streams()).isEqualTo(MANIFEST.streams());
        assertThat(read.finishedAt()).isEqualTo(MANIFEST.finishedAt());
    }

    @Test
    void fromJson_notAManifest_isAnIntegrityError() {
        assertThatThrownBy(() -> RunManifest.fromJson("{\"format\": \"other\"}"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> RunManifest.fromJson("{"))
                .isInstanceOf(IntegrityException.class);
    }
}
