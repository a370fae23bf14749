package org.phicourier.benchmarks.jmh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.crypto.internal.EncryptingOutputStream;
import org.phicourier.crypto.internal.EnvelopeEncryption;
import org.phicourier.deid.DeidKeys;
import org.phicourier.deid.Deidentifier;
import org.phicourier.deid.Preset;
import org.phicourier.files.CsvFileSource;
import org.phicourier.files.FhirFileSource;
import org.phicourier.internal.RowJsonWriter;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.phicourier.spi.StreamTransform;
import org.phicourier.testing.SharedData;

/**
 * Records per second (one thread, so per core) and, with {@code -prof gc}, bytes allocated per
 * record, of the Safe Harbor preset over Synthea patient rows and FHIR Patient resources from the
 * shared data; beside it, the sink's per-byte work without the network (JSON Lines, gzip level 1,
 * V3 envelope encryption) over the de-identified patient rows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class DeidentificationBenchmark {
    static final int BATCH = 1_000;

    private StreamTransform csvPatients;
    private RowBatch csvBatch;
    private StreamTransform fhirPatients;
    private RowBatch fhirBatch;
    private RowBatch maskedCsv;
    private LocalAesKeyring keyring;

    /** Loads the shared data and binds the preset once per trial. */
    @Setup
    public void setUp() {
        Path data = SharedData.locate().orElseThrow(() -> new IllegalStateException(
                "shared data not found: set PHI_COURIER_SHARED_DIR"));
        Deidentifier deid = Deidentifier.builder().preset(Preset.safeHarbor())
                .keys(DeidKeys.of(new byte[32])).referenceDate(LocalDate.of(2026, 1, 1)).build();
        CsvFileSource csv = CsvFileSource.files(data.resolve("synthea-csv/patients.csv"));
        StreamDescriptor patients = csv.discover().get(0);
        csvBatch = cycle(csv, patients);
        csvPatients = deid.bind(patients);
        FhirFileSource fhir = FhirFileSource.of(data.resolve("fhir-r4/bulk-ndjson"),
                data.resolve("fhir-r4/synthea-bundles"));
        StreamDescriptor fhirPatient = fhir.discover().get(0);
        fhirBatch = cycle(fhir, fhirPatient);
        fhirPatients = deid.bind(fhirPatient);
        maskedCsv = csvPatients.apply(csvBatch);
        keyring = LocalAesKeyring.of(new byte[32]);
    }

    /** Repeats a stream's rows up to one batch. */
    private static RowBatch cycle(Source source, StreamDescriptor stream) {
        List<Row> rows = new ArrayList<>();
        try (StreamReader reader = source.open(stream)) {
            reader.next().ifPresent(b -> rows.addAll(b.rows()));
        }
        List<Row> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(rows.get(i % rows.size()));
        }
        return RowBatch.of(stream.schema(), batch, 1);
    }

    /**
     * Safe Harbor over Synthea CSV patient rows (25 columns).
     *
     * @return the masked batch
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public RowBatch safeHarborCsvPatientRows() {
        return csvPatients.apply(csvBatch);
    }

    /**
     * Safe Harbor over FHIR R4 Patient resources (bulk export and bundles).
     *
     * @return the masked batch
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public RowBatch safeHarborFhirPatients() {
        return fhirPatients.apply(fhirBatch);
    }

    /**
     * The sink's per-byte work on the masked patient rows: JSON Lines, gzip, encryption.
     *
     * @param hole receives the byte count
     * @throws IOException never; the output is discarded
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void sinkEncodeCompressEncrypt(Blackhole hole) throws IOException {
        Counting counting = new Counting();
        EnvelopeEncryption envelope = EnvelopeEncryption.begin(keyring, Map.of("s", "p"));
        EncryptingOutputStream encrypted = new EncryptingOutputStream(counting,
                envelope.cipher());
        GZIPOutputStream gzip = new GZIPOutputStream(encrypted, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        try (RowJsonWriter writer = new RowJsonWriter(gzip, maskedCsv.schema())) {
            for (Row row : maskedCsv.rows()) {
                writer.write(row);
            }
            writer.finish();
        }
        gzip.finish();
        encrypted.finish();
        hole.consume(counting.bytes);
    }

    /** Counts and discards bytes. */
    private static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
