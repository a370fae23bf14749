package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.phicourier.model.Row;
import org.phicourier.s3.spi.RecordFormat;

/** The built-in formats through the RecordFormat contract, in memory. */
class ObjectFormatTest {

    @ParameterizedTest
    @EnumSource(ObjectFormat.class)
    void openDecoder_whatTheEncoderWrote_returnsTheRows(ObjectFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordFormat.Encoder encoder = format.openEncoder(out, InMemoryTypeMatrix.SCHEMA);
        for (Row row : InMemoryTypeMatrix.rows()) {
            encoder.write(row);
        }
        encoder.finish();

        List<Row> back = new ArrayList<>();
        try (RecordFormat.Decoder decoder = format.openDecoder(
                new ByteArrayInputStream(out.toByteArray()), InMemoryTypeMatrix.SCHEMA)) {
            for (Optional<Row> row = decoder.next(); row.isPresent(); row = decoder.next()) {
                back.add(row.get());
            }
        }

        assertThat(back).isEqualTo(format == ObjectFormat.JSONL
                ? InMemoryTypeMatrix.rowsAsJsonLinesReadThem() : InMemoryTypeMatrix.rows());
    }

    @Test
    void label_builtInFormats_keepTheirMetadataNamesAndDoNotCompressThemselves() {
        assertThat(ObjectFormat.JSONL.label()).isEqualTo("jsonl");
        assertThat(ObjectFormat.CSV.label()).isEqualTo("csv");
        assertThat(ObjectFormat.CSV.compressesItself()).isFalse();
    }
}
