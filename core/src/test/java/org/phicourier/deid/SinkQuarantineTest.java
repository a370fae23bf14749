package org.phicourier.deid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

class SinkQuarantineTest {
    private static final Schema ONE = Schema.of(Field.of("ZIP", FieldType.STRING));

    @Test
    void put_badValueUnderQuarantinePolicy_reachesTheSinkStreamOnClose() {
        CaptureSink sink = new CaptureSink();
        SinkQuarantine quarantine = SinkQuarantine.of(sink);
        StreamTransform t = SafeHarborOverSharedDataTest.safeHarbor()
                .badValues(BadValuePolicy.QUARANTINE).quarantine(quarantine).build()
                .bind(StreamDescriptor.of("claims", ONE));

        t.apply(RowBatch.of(ONE, List.of(Row.of(ONE, "02155"), Row.of(ONE, "AB-12")), 7));
        quarantine.close();

        assertThat(sink.text("claims.quarantine")).contains("\"position\":8")
                .contains("\"field\":\"ZIP\"").contains("not a ZIP code").contains("AB-12");
        assertThat(quarantine.counts()).containsEntry("claims.quarantine", 1L);
    }
}
