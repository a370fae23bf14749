package org.phicourier.jdbc.internal;

import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * Consecutive intervals of an integer key that a parallel read hands out, in key order: unit
 * {@code i} holds the keys from {@code lower(i)} up to, not including, {@code lower(i + 1)}. The
 * last unit has no upper bound, so rows inserted above the key's maximum while the read goes on
 * are still read. Immutable.
 *
 * @param first the lowest key of the first unit
 * @param width how many keys a unit spans
 * @param count how many units there are; 0 only when no key can follow the bookmark
 */
record KeyUnits(long first, long width, int count) {
    /** No unit: the read continues after the highest key there can be. */
    static final KeyUnits NONE = new KeyUnits(Long.MAX_VALUE, 1, 0);

    /** Units beyond this many are widened instead, so that a sparse key is not read in slivers. */
    static final int MOST = 10_000;

    /**
     * Splits the keys from {@code first} to {@code last} into units of {@code keys} keys each,
     * wider when that would make more than {@link #MOST} units.
     */
    static KeyUnits split(long first, long last, int keys) {
        if (last <= first) {
            return new KeyUnits(first, keys, 1);
        }
        BigInteger span = BigInteger.valueOf(last).subtract(BigInteger.valueOf(first))
                .add(BigInteger.ONE);
        BigInteger fewest = ceil(span, BigInteger.valueOf(MOST));
        BigInteger width = fewest.max(BigInteger.valueOf(keys));
        return new KeyUnits(first, width.longValueExact(), ceil(span, width).intValueExact());
    }

    private static BigInteger ceil(BigInteger dividend, BigInteger divisor) {
        BigInteger[] quotient = dividend.divideAndRemainder(divisor);
        return quotient[1].signum() == 0 ? quotient[0] : quotient[0].add(BigInteger.ONE);
    }

    /** Returns the lowest key of a unit. */
    long lower(int unit) {
        return first + unit * width;
    }

    /** Returns the key above a unit, none for the last. */
    OptionalLong upper(int unit) {
        return unit == count - 1 ? OptionalLong.empty() : OptionalLong.of(lower(unit + 1));
    }
}
