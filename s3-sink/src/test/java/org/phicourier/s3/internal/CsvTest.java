package org.phicourier.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

class CsvTest {
    private static final Schema SCHEMA = Schema.of(Field.of("a", FieldType.STRING),
            Field.of("b,c", FieldType.STRING), Field.of("n", FieldType.INT32));

    private static String csv(Row... rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvRowWriter writer = new CsvRowWriter(out, SCHEMA);
        for (Row row : rows) {
            writer.write(row);
        }
        writer.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void write_noRows_headerFromTheSchemaOnly() throws IOException {
        assertThat(csv()).isEqualTo("a,\"b,c\",n\r\n");
    }

    @Test
    void write_nullAndEmpty_emptyUnquotedAndQuotedEmpty() throws IOException {
        assertThat(csv(Row.of(SCHEMA, null, "", null))).endsWith("\r\n,\"\",\r\n");
    }

    @Test
    void write_quoteCommaAndLineBreak_quotedWithDoubledQuotes() throws IOException {
        assertThat(csv(Row.of(SCHEMA, "say \"hi\"", "x\r\ny", 1)))
                .endsWith("\r\n\"say \"\"hi\"\"\",\"x\r\ny\",1\r\n");
    }

    @Test
    void next_whatTheWriterWrote_readsBackNullApartFromEmpty() throws IOException {
        String text = csv(Row.of(SCHEMA, null, "", 7), Row.of(SCHEMA, "q\"", "a,\nb", null));
        CsvRecords records = new CsvRecords(new StringReader(text));

        assertThat(records.next()).contains(List.of("a", "b,c", "n"));
        assertThat(records.next()).contains(Arrays.asList(null, "", "7"));
        assertThat(records.next()).contains(Arrays.asList("q\"", "a,\nb", null));
        assertThat(records.next()).isEmpty();
    }

    @Test
    void next_unclosedQuote_isRefused() {
        CsvRecords records = new CsvRecords(new StringReader("\"abc\r\n"));

        assertThatThrownBy(records::next).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("abc");
    }

    @Test
    void next_textAfterClosingQuote_isRefused() {
        CsvRecords records = new CsvRecords(new StringReader("\"a\"b\r\n"));

        assertThatThrownBy(records::next).isInstanceOf(IllegalArgumentException.class);
    }
}
