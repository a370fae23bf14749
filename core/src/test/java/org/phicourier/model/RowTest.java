package org.phicourier.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RowTest {
    private static final Schema SCHEMA = Schema.of(
            Field.of("ssn", FieldType.STRING),
            Field.builder("visits", FieldType.INT64).nullable(false).build(),
            Field.of("photo", FieldType.BINARY),
            Field.of("balance", FieldType.DECIMAL));

    @Test
    void toString_holdsFieldNamesButNoValue() {
        Row row = Row.of(SCHEMA, "999-12-3456", 3L, new byte[] {1}, new BigDecimal("12.50"));

        assertThat(row.toString()).contains("ssn", "visits").doesNotContain("999-12-3456", "12.5");
    }

    @Test
    void of_valueOfWrongType_namesFieldAndTypeButNotValue() {
        assertThatThrownBy(() -> Row.of(SCHEMA, "x", "not a number", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("visits").hasMessageContaining("INT64")
                .hasMessageNotContaining("not a number");
    }

    @Test
    void of_nullInNonNullableField_isRefused() {
        assertThatThrownBy(() -> Row.of(SCHEMA, "x", null, null, null))
                .hasMessageContaining("'visits' is not nullable");
    }

    @Test
    void get_binaryValue_isACopy() {
        byte[] photo = {1, 2, 3};
        Row row = Row.of(SCHEMA, null, 1L, photo, null);
        photo[0] = 9;
        ((byte[]) row.get(2))[1] = 9;

        assertThat((byte[]) row.get(2)).containsExactly(1, 2, 3);
    }

    @Test
    void get_byName_returnsValueOrEmptyForNull() {
        Row row = Row.of(SCHEMA, null, 7L, null, null);

        assertThat(row.get("visits")).contains(7L);
        assertThat(row.get("ssn")).isEmpty();
    }

    @Test
    void schemaOf_duplicateNames_isRefused() {
        assertThatThrownBy(() -> Schema.of(Field.of("a", FieldType.STRING),
                Field.of("a", FieldType.INT32)))
                .hasMessageContaining("duplicate field name 'a'");
    }
}
