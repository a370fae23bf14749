package org.phicourier.deid;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives each subject's date offset from a keyed MAC of the subject's pseudonym under the
 * date-shift key: uniform over the configured days (or whole weeks) except zero, by rejection
 * sampling so that no offset is more likely than another. Not thread-safe.
 */
final class DateShifter {
    private static final byte[] LABEL =
            "phi-courier/date-shift/v1\u0000".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;
    private final DateShift range;
    private final long low;
    private final long count;
    private final boolean spansZero;

    DateShifter(DeidKeys keys, DateShift range) {
        this.range = range;
        int unit = range.wholeWeeks() ? 7 : 1;
        this.low = Math.floorDiv(range.minDays() + unit - 1, unit);
        long high = Math.floorDiv(range.maxDays(), unit);
        this.spansZero = low <= 0 && high >= 0;
        this.count = high - low + 1 - (spansZero ? 1 : 0);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.key(DeidKeys.Purpose.DATE_SHIFT), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Returns the offset in days for a subject pseudonym. */
    int offsetDays(String subjectPseudonym) {
        long index = uniformIndex(subjectPseudonym.getBytes(StandardCharsets.US_ASCII));
        long units = low + index;
        if (spansZero && units >= 0) {
            units++;
        }
        return (int) units * (range.wholeWeeks() ? 7 : 1);
    }

    private long uniformIndex(byte[] subject) {
        long excess = (Long.remainderUnsigned(-1L, count) + 1) % count;
        for (int counter = 0; ; counter++) {
            mac.update(LABEL);
            mac.update(subject);
            ByteBuffer block = ByteBuffer.wrap(mac.doFinal(new byte[] {(byte) counter}));
            while (block.remaining() >= Long.BYTES) {
                long candidate = block.getLong();
                if (excess == 0 || Long.compareUnsigned(candidate, -excess) < 0) {
                    return Long.remainderUnsigned(candidate, count);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "DateShifter[" + range + "]";
    }
}
