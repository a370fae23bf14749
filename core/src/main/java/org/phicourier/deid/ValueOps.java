package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Applies one operation to one value (free-text scrubbing excepted, which needs the whole
 * record). Results are text except for kept values and shifted dates, which keep their type.
 * Not thread-safe: it holds the keyed engines of one stream.
 */
final class ValueOps {
    static final String REDACTED = "[REDACTED]";
    static final String NINETY_PLUS = "90+";

    private final Optional<Pseudonyms> pseudonyms;
    private final Optional<Ff1Cipher> ff1;
    private final Zip3Table zip3;
    private final LocalDate referenceDate;
    private Outcome outcome = Outcome.KEPT;

    ValueOps(Optional<DeidKeys> keys, Zip3Table zip3, LocalDate referenceDate) {
        this.pseudonyms = keys.map(Pseudonyms::new);
        this.ff1 = keys.map(Ff1Cipher::of);
        this.zip3 = zip3;
        this.referenceDate = referenceDate;
    }

    /** Returns what the last {@link #apply} did. */
    Outcome outcome() {
        return outcome;
    }

    /**
     * Applies an operation.
     *
     * @param op the operation; not drop or scrub
     * @param category the value's category, for tags and normalisation
     * @param tweak the field's FF1 tweak
     * @param value the value, not null
     * @param offset the subject's date offset in days, empty when no subject is known
     * @return the new value, empty when the value must be dropped (a date without subject)
     */
    Optional<Object> apply(Operation op, Category category, String tweak, Object value,
            Optional<Integer> offset) {
        outcome = op.kind().outcome();
        switch (op.kind()) {
            case KEEP:
                return Optional.of(value);
            case REDACT:
                return Optional.of(REDACTED);
            case CONSTANT:
                return Optional.of(op.argument());
            case TYPE_TAG:
                return Optional.of("[" + category.name() + "]");
            case MASK_LAST:
                return Optional.of(maskLast(text(value), op.number()));
            case PSEUDONYMIZE:
                return Optional.of(pseudonyms.orElseThrow().pseudonym(category, text(value)));
            case FF1:
                return Optional.of(ff1.orElseThrow().encrypt(op.ff1Format(), tweak, text(value)));
            default:
                return generalise(op, value, offset);
        }
    }

    private Optional<Object> generalise(Operation op, Object value, Optional<Integer> offset) {
        // Text sources such as CSV tables hold an absent date or ZIP as empty text, which
        // carries nothing to generalise; refusing it would stop a run on a patient still alive.
        if (value instanceof String && ((String) value).isBlank()) {
            outcome = Outcome.KEPT;
            return Optional.of(value);
        }
        switch (op.kind()) {
            case ZIP3:
                return Optional.of(zip3.zip3(zipText(value)));
            case YEAR:
                return Optional.of(Dates.year(value));
            case YEAR_MONTH:
                return Optional.of(Dates.yearMonth(value));
            case QUARTER:
                return Optional.of(Dates.quarter(value));
            case BIRTH_YEAR:
                return Optional.of(birth(value, Optional.empty()));
            case BIRTH_SHIFT:
                return offset.map(days -> birth(value, Optional.of(days)));
            case AGE_90:
                return Optional.of(age(value));
            case BUCKET:
                return Optional.of(bucket(value, op.number()));
            case SHIFT:
                return offset.map(days -> Dates.shift(value, days));
            default:
                throw new IllegalStateException("operation " + op + " is not a value operation");
        }
    }

    private Object birth(Object value, Optional<Integer> shiftDays) {
        Dates.Parsed parsed = Dates.parse(value);
        if (Dates.ninetyOrOlder(parsed, referenceDate)) {
            outcome = Outcome.GENERALISED;
            return NINETY_PLUS;
        }
        if (shiftDays.isEmpty()) {
            return Dates.year(value);
        }
        Object shifted = Dates.shift(value, shiftDays.get());
        return shifted instanceof String ? shifted : shifted.toString();
    }

    private static String age(Object value) {
        BigDecimal age = number(value);
        if (age.signum() < 0 || age.compareTo(BigDecimal.valueOf(150)) > 0) {
            throw new BadValueException("not a plausible age");
        }
        return age.compareTo(BigDecimal.valueOf(90)) >= 0 ? NINETY_PLUS
                : age.setScale(0, RoundingMode.FLOOR).toPlainString();
    }

    private static String bucket(Object value, int width) {
        BigDecimal w = BigDecimal.valueOf(width);
        BigDecimal low = number(value).divide(w, 0, RoundingMode.FLOOR).multiply(w);
        return low.toPlainString() + "-" + low.add(w).subtract(BigDecimal.ONE).toPlainString();
    }

    private static BigDecimal number(Object value) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        if (value instanceof Integer || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new BadValueException("not a finite number");
            }
            return BigDecimal.valueOf(d);
        }
        try {
            return new BigDecimal(text(value).strip());
        } catch (NumberFormatException e) {
            throw new BadValueException("text in a number field");
        }
    }

    private static String zipText(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            long zip = ((Number) value).longValue();
            if (zip < 0 || zip > 99_999) {
                throw new BadValueException("not a ZIP code");
            }
            return String.format("%05d", zip);
        }
        return text(value);
    }

    static String maskLast(String text, int keep) {
        char[] chars = text.toCharArray();
        int seen = 0;
        for (int i = chars.length - 1; i >= 0; i--) {
            if (Character.isLetterOrDigit(chars[i]) && seen++ >= keep) {
                chars[i] = '*';
            }
        }
        return new String(chars);
    }

    static String text(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof JsonNode || value instanceof byte[]) {
            throw new BadValueException("not a text or number value");
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return "ValueOps[reference=" + referenceDate + "]";
    }
}
