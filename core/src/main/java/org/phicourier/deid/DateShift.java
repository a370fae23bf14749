package org.phicourier.deid;

import org.phicourier.ConfigurationException;

/**
 * The range per-patient date offsets are drawn from: whole days (or whole weeks, which keep the
 * weekday) between a minimum and a maximum, never zero.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param minDays the most negative offset, in days
 * @param maxDays the most positive offset, in days
 * @param wholeWeeks true to use multiples of seven days only
 */
public record DateShift(int minDays, int maxDays, boolean wholeWeeks) {
    /** The default: 1 to 365 days into the past. */
    public static final DateShift DEFAULT = new DateShift(-365, -1, false);

    /**
     * Checks the range.
     *
     * @param minDays the most negative offset, in days
     * @param maxDays the most positive offset, in days
     * @param wholeWeeks true to use multiples of seven days only
     * @throws ConfigurationException when the range holds no non-zero offset or exceeds ten
     *     years either way
     */
    public DateShift {
        if (minDays > maxDays || minDays < -3653 || maxDays > 3653) {
            throw new ConfigurationException("date shift range [" + minDays + ", " + maxDays
                    + "] must be ordered and within ten years either way");
        }
        int unit = wholeWeeks ? 7 : 1;
        long low = Math.floorDiv(minDays + unit - 1, unit);
        long high = Math.floorDiv(maxDays, unit);
        long count = high - low + 1 - (low <= 0 && high >= 0 ? 1 : 0);
        if (count < 1) {
            throw new ConfigurationException("date shift range [" + minDays + ", " + maxDays
                    + "] holds no non-zero offset" + (wholeWeeks ? " in whole weeks" : ""));
        }
    }

    /**
     * Offsets of whole days.
     *
     * @param minDays the most negative offset
     * @param maxDays the most positive offset
     * @return the range
     */
    public static DateShift days(int minDays, int maxDays) {
        return new DateShift(minDays, maxDays, false);
    }

    /**
     * Offsets of whole weeks, which keep the weekday.
     *
     * @param minDays the most negative offset in days
     * @param maxDays the most positive offset in days
     * @return the range
     */
    public static DateShift weeks(int minDays, int maxDays) {
        return new DateShift(minDays, maxDays, true);
    }
}
