package org.phicourier.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Writes dates and times into a reused character buffer exactly as the ISO formatters of
 * {@link java.time.format.DateTimeFormatter} do, without their per-value allocations; covers
 * years 0 to 9999 and offsets in whole minutes, and declines the rest so that the caller falls
 * back to the formatters. Not thread-safe.
 */
final class IsoText {
    private final char[] chars = new char[40];

    /** Returns the buffer that the last successful call filled from index 0. */
    char[] chars() {
        return chars;
    }

    /** Writes {@code yyyy-MM-dd}; returns the length, or -1 when declined. */
    int date(LocalDate date) {
        return fits(date.getYear()) ? date(date, 0) : -1;
    }

    /** Writes {@code HH:mm:ss} and the nanoseconds without trailing zeros; returns the length. */
    int time(LocalTime time) {
        return time(time, 0);
    }

    /** Writes a date, {@code T} and a time; returns the length, or -1 when declined. */
    int dateTime(LocalDateTime value) {
        if (!fits(value.getYear())) {
            return -1;
        }
        int at = date(value.toLocalDate(), 0);
        chars[at++] = 'T';
        return time(value.toLocalTime(), at);
    }

    /** Writes a date-time and its offset ({@code Z} or {@code +HH:MM}); -1 when declined. */
    int offsetDateTime(OffsetDateTime value) {
        int seconds = value.getOffset().getTotalSeconds();
        if (seconds % 60 != 0) {
            return -1;
        }
        int at = dateTime(value.toLocalDateTime());
        if (at < 0) {
            return -1;
        }
        if (seconds == 0) {
            chars[at++] = 'Z';
            return at;
        }
        chars[at++] = seconds < 0 ? '-' : '+';
        int minutes = Math.abs(seconds) / 60;
        at = twoDigits(minutes / 60, at);
        chars[at++] = ':';
        return twoDigits(minutes % 60, at);
    }

    private static boolean fits(int year) {
        return year >= 0 && year <= 9999;
    }

    private int date(LocalDate date, int at) {
        int year = date.getYear();
        at = twoDigits(year / 100, at);
        at = twoDigits(year % 100, at);
        chars[at++] = '-';
        at = twoDigits(date.getMonthValue(), at);
        chars[at++] = '-';
        return twoDigits(date.getDayOfMonth(), at);
    }

    private int time(LocalTime time, int at) {
        at = twoDigits(time.getHour(), at);
        chars[at++] = ':';
        at = twoDigits(time.getMinute(), at);
        chars[at++] = ':';
        at = twoDigits(time.getSecond(), at);
        int nanos = time.getNano();
        if (nanos == 0) {
            return at;
        }
        chars[at++] = '.';
        for (int divisor = 100_000_000; nanos > 0; divisor /= 10) {
            chars[at++] = (char) ('0' + nanos / divisor);
            nanos %= divisor;
        }
        return at;
    }

    private int twoDigits(int value, int at) {
        chars[at] = (char) ('0' + value / 10);
        chars[at + 1] = (char) ('0' + value % 10);
        return at + 2;
    }
}
