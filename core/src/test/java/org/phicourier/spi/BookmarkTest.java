package org.phicourier.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;

class BookmarkTest {
    private static final Schema CURSOR = Schema.of(Field.of("last.family_name", FieldType.STRING));

    @Test
    void toString_showsNamesButNoValue() {
        Bookmark bookmark = Bookmark.of(Map.of("phase", "READ"), Row.of(CURSOR, "Abernathy"));

        assertThat(bookmark.toString()).contains("phase", "last.family_name")
                .doesNotContain("Abernathy").doesNotContain("READ");
    }

    @Test
    void equals_sameAttributesAndValues_areEqual() {
        assertThat(Bookmark.of(Map.of("a", "1"), Row.of(CURSOR, "x")))
                .isEqualTo(Bookmark.of(Map.of("a", "1"), Row.of(CURSOR, "x")))
                .isNotEqualTo(Bookmark.of(Map.of("a", "1"), Row.of(CURSOR, "y")));
        assertThat(Bookmark.of(Map.of()).values().size()).isZero();
    }
}
