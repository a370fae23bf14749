package org.phicourier.internal;

import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_TIME;
import static java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTextTest {
    private final IsoText iso = new IsoText();

    private String text(int length) {
        return new String(iso.chars(), 0, length);
    }

    private static LocalDateTime randomDateTime(Random random) {
        long first = LocalDate.of(0, 1, 1).toEpochDay();
        long last = LocalDate.of(9999, 12, 31).toEpochDay();
        LocalDate date = LocalDate.ofEpochDay(first + random.nextInt((int) (last - first + 1)));
        int[] nanos = {0, 1, 10, 500, 123_456_000, 999_999_999, 100_000_000,
                random.nextInt(1_000_000_000)};
        return date.atTime(LocalTime.ofSecondOfDay(random.nextInt(86_400))
                .withNano(nanos[random.nextInt(nanos.length)]));
    }

    @Test
    void dateTimes_randomValuesOfYears0To9999_matchTheIsoFormatters() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            LocalDateTime value = randomDateTime(random);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(73) - 36) * 30 * 60);
            OffsetDateTime withOffset = value.atOffset(offset);

            assertThat(text(iso.date(value.toLocalDate())))
                    .isEqualTo(ISO_LOCAL_DATE.format(value));
            assertThat(text(iso.time(value.toLocalTime())))
                    .isEqualTo(ISO_LOCAL_TIME.format(value));
            assertThat(text(iso.dateTime(value))).isEqualTo(ISO_LOCAL_DATE_TIME.format(value));
            assertThat(text(iso.offsetDateTime(withOffset)))
                    .isEqualTo(ISO_OFFSET_DATE_TIME.format(withOffset));
        }
    }

    @Test
    void date_yearOutside0To9999_isDeclined() {
        assertThat(iso.date(LocalDate.of(10_000, 1, 1))).isNegative();
        assertThat(iso.date(LocalDate.of(-1, 1, 1))).isNegative();
        assertThat(iso.dateTime(LocalDateTime.of(10_000, 1, 1, 0, 0))).isNegative();
    }

    @Test
    void offsetDateTime_offsetWithSeconds_isDeclined() {
        OffsetDateTime value = OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0,
                ZoneOffset.ofTotalSeconds(3_601));

        assertThat(iso.offsetDateTime(value)).isNegative();
    }

    @Test
    void offsetDateTime_extremeMinuteOffsets_matchTheFormatter() {
        for (ZoneOffset offset : new ZoneOffset[] {ZoneOffset.MAX, ZoneOffset.MIN,
                ZoneOffset.ofHoursMinutes(0, -30), ZoneOffset.ofHoursMinutes(5, 45)}) {
            OffsetDateTime value = OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 1, offset);

            assertThat(text(iso.offsetDateTime(value)))
                    .isEqualTo(ISO_OFFSET_DATE_TIME.format(value));
        }
    }
}
