package org.phicourier.deid;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.Pipeline;
import org.phicourier.files.CsvFileSource;
import org.phicourier.files.FhirFileSource;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

/**
 * De-identification on several threads writes the same bytes and reports the same counts as on
 * one, over the shared Synthea tables and FHIR resources (the HL7 examples, whose bad postal
 * code needs a quarantine and so one thread, left out).
 */
class ParallelDeidentificationTest {
    private static final StreamDescriptor PATIENTS = StreamDescriptor.of("patients",
            Schema.of(Field.of("id", FieldType.STRING), Field.of("name", FieldType.STRING),
                    Field.of("zip", FieldType.STRING)));

    @Test
    void safeHarbor_onFourThreads_writesWhatOneThreadWrites() {
        Run one = run(SafeHarborOverSharedDataTest.safeHarbor().build(), 1);
        Run four = run(SafeHarborOverSharedDataTest.safeHarbor().build(), 4);

        assertThat(four.output).isEqualTo(one.output);
        assertThat(four.report.streams()).isEqualTo(one.report.streams());
    }

    @Test
    void copy_whenScrubbingFreeText_isRefusedAsNotesDependOnEarlierRecords() {
        StreamTransform bound = SafeHarborOverSharedDataTest.safeHarbor().scrubFreeText(true)
                .build().bind(PATIENTS);

        assertThat(bound.copy()).isEmpty();
    }

    @Test
    void copy_withAQuarantine_isRefusedAsItNeedNotTakeRecordsFromSeveralThreads(
            @TempDir Path quarantine) {
        StreamTransform bound = SafeHarborOverSharedDataTest.safeHarbor(quarantine).build()
                .bind(PATIENTS);

        assertThat(bound.copy()).isEmpty();
    }

    @Test
    void copy_withoutScrubbingOrQuarantine_countsInTheReport() {
        Deidentifier deid = SafeHarborOverSharedDataTest.safeHarbor().build();
        StreamTransform bound = deid.bind(PATIENTS);
        StreamTransform copy = bound.copy().orElseThrow();

        bound.apply(RowBatch.of(PATIENTS.schema(), List.of(patient()), 1));
        copy.apply(RowBatch.of(PATIENTS.schema(), List.of(patient(), patient()), 2));

        assertThat(deid.report().stream("patients").records()).isEqualTo(3);
    }

    private static Row patient() {
        return Row.of(PATIENTS.schema(), "p-1", "Ada Lovelace", "02139");
    }

    private record Run(Map<String, String> output, DeidReport report) {
    }

    private static Run run(Deidentifier deid, int threads) {
        CaptureSink sink = new CaptureSink();
        run(CsvFileSource.directory(SharedPhi.csv()), deid, sink, threads);
        Path[] fhir = SharedPhi.fhirFolders().stream()
                .filter(folder -> !folder.endsWith("hl7-examples")).toArray(Path[]::new);
        run(FhirFileSource.of(fhir), deid, sink, threads);
        Map<String, String> output = new TreeMap<>();
        sink.bytes.forEach((stream, bytes) -> output.put(stream, bytes.toString(
                java.nio.charset.StandardCharsets.UTF_8)));
        return new Run(output, deid.report());
    }

    private static void run(Source source, Deidentifier deid, CaptureSink sink, int threads) {
        Pipeline.from(source).through(deid).to(sink).transformThreads(threads).build().run();
    }
}
