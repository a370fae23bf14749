package org.phicourier.schema;

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

class SafeFieldNamesTest {
    @Test
    void map_unsafeNames_becomeSafeAndUniqueIgnoringCase() {
        List<String> safe = SafeFieldNames.map(List.of("id", "first name", "2nd_visit",
                "Café", "ID", "e-mail", "e_mail", "患者", "#"));

        assertThat(safe).containsExactly("id", "first_name", "_2nd_visit", "Cafe", "ID_2",
                "e_mail_2", "e_mail", "u60a3u8005", "_");
    }

    @Test
    void map_sameInput_givesTheSameMapping() {
        List<String> names = List.of("a b", "a_b", "A B", "a-b");

        assertThat(SafeFieldNames.map(names)).isEqualTo(SafeFieldNames.map(names))
                .containsExactly("a_b_2", "a_b", "A_B_3", "a_b_4");
    }

    @Test
    void bind_renamedField_keepsItsOriginalNameAndTheValues() {
        Schema schema = Schema.of(Field.of("SSN #", FieldType.STRING),
                Field.of("age", FieldType.INT32));
        StreamTransform t = SafeFieldNames.create().bind(StreamDescriptor.of("p", schema));

        RowBatch out = t.apply(RowBatch.of(schema, List.of(Row.of(schema, "x", 3)), 1));

        assertThat(out.schema().names()).containsExactly("SSN__", "age");
        assertThat(out.schema().field(0).originalName()).contains("SSN #");
        assertThat(SchemaJson.fromJson(SchemaJson.toJson(out.schema())))
                .isEqualTo(out.schema());
        assertThat(out.rows().get(0).get(1)).isEqualTo(3);
        assertThat(t.counters()).containsEntry("schema.fields.renamed", 1L);
    }
}
