package org.phicourier.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class KeyUnitsTest {
    @Test
    void split_denseKeys_unitsOfChunkSizeKeysAndAnOpenLastUnit() {
        KeyUnits units = KeyUnits.split(1, 25, 10);

        assertThat(units.count()).isEqualTo(3);
        assertThat(units.lower(0)).isEqualTo(1);
        assertThat(units.upper(0)).isEqualTo(OptionalLong.of(11));
        assertThat(units.lower(2)).isEqualTo(21);
        assertThat(units.upper(2)).isEmpty();
    }

    @Test
    void split_sparseKeys_widensUnitsToAtMostTheLimit() {
        KeyUnits units = KeyUnits.split(0, 999_999_999, 1000);

        assertThat(units.count()).isEqualTo(KeyUnits.MOST);
        assertThat(units.width()).isEqualTo(100_000);
    }

    @Test
    void split_oneKeyOrNone_oneOpenUnit() {
        assertThat(KeyUnits.split(7, 7, 1000).count()).isEqualTo(1);
        assertThat(KeyUnits.split(8, 7, 1000).upper(0)).isEmpty();
    }

    @Test
    void split_wholeLongRange_unitsCoverItWithoutOverflow() {
        KeyUnits units = KeyUnits.split(Long.MIN_VALUE, Long.MAX_VALUE, 10);

        assertThat(units.count()).isLessThanOrEqualTo(KeyUnits.MOST);
        assertThat(units.lower(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(units.lower(units.count() - 1)).isGreaterThan(0);
        assertThat(units.upper(units.count() - 1)).isEmpty();
    }
}
