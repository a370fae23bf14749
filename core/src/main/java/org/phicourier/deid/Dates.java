package org.phicourier.deid;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dates in the forms de-identification meets (FHIR date, dateTime and instant, ISO dates
 * and timestamps, SQL date types), shifts them keeping their format, and generalises them.
 */
final class Dates {
    /** How much of a date a value carries. */
    enum Precision { YEAR, MONTH, DAY }

    private static final Pattern TEXT = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})((?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)?"
                    + "(?:Z|[+-]\\d{2}:?\\d{2})?))?)?");

    /** A date read from a value, with its precision and the text that follows the date. */
    record Parsed(LocalDate date, Precision precision, String rest) {
    }

    private Dates() {
    }

    static Parsed parse(Object value) {
        if (value instanceof LocalDate) {
            return new Parsed((LocalDate) value, Precision.DAY, "");
        }
        if (value instanceof LocalDateTime) {
            return new Parsed(((LocalDateTime) value).toLocalDate(), Precision.DAY, "");
        }
        if (value instanceof OffsetDateTime) {
            return new Parsed(((OffsetDateTime) value).toLocalDate(), Precision.DAY, "");
        }
        if (value instanceof String) {
            return parseText((String) value);
        }
        if (value instanceof Integer || value instanceof Long) {
            return parseText(String.valueOf(value));
        }
        throw new BadValueException("not a date");
    }

    private static Parsed parseText(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new BadValueException("malformed date");
        }
        try {
            int year = Integer.parseInt(m.group(1));
            if (m.group(2) == null) {
                return new Parsed(LocalDate.of(year, 1, 1), Precision.YEAR, "");
            }
            int month = Integer.parseInt(m.group(2));
            if (m.group(3) == null) {
                return new Parsed(LocalDate.of(year, month, 1), Precision.MONTH, "");
            }
            LocalDate date = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
            return new Parsed(date, Precision.DAY, m.group(4));
        } catch (DateTimeException e) {
            throw new BadValueException("malformed date");
        }
    }

    /** Tells cheaply whether a text looks like a full date, for the safety net on kept text. */
    static boolean looksLikeFullDate(String text) {
        return text.length() >= 10 && text.charAt(4) == '-' && text.charAt(7) == '-'
                && Character.isDigit(text.charAt(0)) && TEXT.matcher(text).matches();
    }

    /** Shifts a date value by days, keeping its Java type or its text format and precision. */
    static Object shift(Object value, int days) {
        if (value instanceof LocalDate) {
            return ((LocalDate) value).plusDays(days);
        }
        if (value instanceof LocalDateTime) {
            return ((LocalDateTime) value).plusDays(days);
        }
        if (value instanceof OffsetDateTime) {
            return ((OffsetDateTime) value).plusDays(days);
        }
        if (value instanceof java.time.Instant) {
            return ((java.time.Instant) value).plus(java.time.Duration.ofDays(days));
        }
        Parsed parsed = parse(value);
        LocalDate shifted = parsed.date.plusDays(days);
        return render(shifted, parsed.precision) + parsed.rest;
    }

    static String render(LocalDate date, Precision precision) {
        String text = date.toString();
        switch (precision) {
            case YEAR:
                return text.substring(0, 4);
            case MONTH:
                return text.substring(0, 7);
            default:
                return text;
        }
    }

    static String year(Object value) {
        return String.format("%04d", parse(value).date.getYear());
    }

    static String yearMonth(Object value) {
        Parsed parsed = parse(value);
        if (parsed.precision == Precision.YEAR) {
            throw new BadValueException("date has no month");
        }
        return render(parsed.date, Precision.MONTH);
    }

    static String quarter(Object value) {
        Parsed parsed = parse(value);
        if (parsed.precision == Precision.YEAR) {
            throw new BadValueException("date has no month");
        }
        return String.format("%04d-Q%d", parsed.date.getYear(),
                (parsed.date.getMonthValue() + 2) / 3);
    }

    /**
     * Tells whether a birth date reveals an age of 90 or more on the reference date: the exact
     * age when the day is known, and any birth year that allows such an age.
     */
    static boolean ninetyOrOlder(Parsed birth, LocalDate reference) {
        if (reference.getYear() - birth.date.getYear() >= 90) {
            return true;
        }
        return birth.precision == Precision.DAY
                && Period.between(birth.date, reference).getYears() >= 90;
    }
}
