package org.phicourier.deid;

import java.util.Locale;
import java.util.Objects;
import org.phicourier.ConfigurationException;

/**
 * What de-identification does with one value, written in configuration as a short spec such as
 * {@code drop}, {@code mask-last(4)} or {@code ff1(ssn)}.
 *
 * <table>
 * <caption>Operations</caption>
 * <tr><th>spec</th><th>result</th></tr>
 * <tr><td>{@code keep}</td><td>the value unchanged</td></tr>
 * <tr><td>{@code drop}</td><td>the field is removed</td></tr>
 * <tr><td>{@code redact}</td><td>the text {@code [REDACTED]}</td></tr>
 * <tr><td>{@code constant(TEXT)}</td><td>the given text</td></tr>
 * <tr><td>{@code type-tag}</td><td>the category in brackets, such as {@code [SSN]}</td></tr>
 * <tr><td>{@code mask-last(N)}</td><td>letters and digits masked with {@code *} except the last
 * N; punctuation stays</td></tr>
 * <tr><td>{@code pseudonymize}</td><td>keyed HMAC-SHA-256 of the normalised value, 32 hex digits
 * (128 bits); references keep their resource type</td></tr>
 * <tr><td>{@code ff1(ssn|phone|digits)}</td><td>FF1 format-preserving encryption of the digits,
 * reversible with the key; SSNs and NANP phone numbers stay in their validity class</td></tr>
 * <tr><td>{@code zip3}</td><td>first three digits, {@code 000} for restricted prefixes</td></tr>
 * <tr><td>{@code year}, {@code year-month}, {@code quarter}</td><td>the date generalised</td></tr>
 * <tr><td>{@code birth-year}</td><td>the year, or {@code 90+} when it reveals an age over
 * 89</td></tr>
 * <tr><td>{@code birth-shift}</td><td>the date shifted per subject, or {@code 90+}</td></tr>
 * <tr><td>{@code age-90}</td><td>the age, or {@code 90+} from 90 years on</td></tr>
 * <tr><td>{@code bucket(N)}</td><td>the number's range of width N, such as {@code 30-39}</td></tr>
 * <tr><td>{@code shift}</td><td>the date shifted by the subject's offset, format kept</td></tr>
 * <tr><td>{@code scrub}</td><td>free text with detected identifiers replaced by tags</td></tr>
 * </table>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Operation {
    /** The kinds of operation. */
    public enum Kind {
        /** Pass through. */
        KEEP("keep", Outcome.KEPT),
        /** Remove the field. */
        DROP("drop", Outcome.DROPPED),
        /** Replace with {@code [REDACTED]}. */
        REDACT("redact", Outcome.REDACTED),
        /** Replace with a constant text. */
        CONSTANT("constant", Outcome.REDACTED),
        /** Replace with the category tag. */
        TYPE_TAG("type-tag", Outcome.REDACTED),
        /** Mask all but the last N letters and digits. */
        MASK_LAST("mask-last", Outcome.REDACTED),
        /** Keyed HMAC pseudonym. */
        PSEUDONYMIZE("pseudonymize", Outcome.PSEUDONYMISED),
        /** FF1 format-preserving encryption. */
        FF1("ff1", Outcome.ENCRYPTED),
        /** ZIP to ZIP3. */
        ZIP3("zip3", Outcome.GENERALISED),
        /** Date to year. */
        YEAR("year", Outcome.GENERALISED),
        /** Date to year and month. */
        YEAR_MONTH("year-month", Outcome.GENERALISED),
        /** Date to year and quarter. */
        QUARTER("quarter", Outcome.GENERALISED),
        /** Birth date to year with 90+ top-coding. */
        BIRTH_YEAR("birth-year", Outcome.GENERALISED),
        /** Birth date shifted per subject with 90+ top-coding. */
        BIRTH_SHIFT("birth-shift", Outcome.SHIFTED),
        /** Age with 90+ top-coding. */
        AGE_90("age-90", Outcome.GENERALISED),
        /** Number to a range. */
        BUCKET("bucket", Outcome.GENERALISED),
        /** Date shifted per subject. */
        SHIFT("shift", Outcome.SHIFTED),
        /** Free text scrubbed. */
        SCRUB("scrub", Outcome.SCRUBBED);

        private final String spec;
        private final Outcome outcome;

        Kind(String spec, Outcome outcome) {
            this.spec = spec;
            this.outcome = outcome;
        }

        /**
         * Returns the name used in specs.
         *
         * @return for example {@code mask-last}
         */
        public String spec() {
            return spec;
        }

        /**
         * Returns the report column this operation counts under.
         *
         * @return the outcome
         */
        public Outcome outcome() {
            return outcome;
        }
    }

    /** The format an {@code ff1} operation keeps. */
    public enum Ff1Format {
        /** Nine digits; a valid SSN stays valid, an invalid one (never issued) stays invalid. */
        SSN,
        /** Phone digits; a valid NANP number stays valid; separators and {@code +} stay. */
        PHONE,
        /** Any run of at least six digits; other characters stay. */
        DIGITS
    }

    private final Kind kind;
    private final String argument;

    private Operation(Kind kind, String argument) {
        this.kind = kind;
        this.argument = argument;
    }

    /**
     * Creates an operation without an argument.
     *
     * @param kind the kind; not {@code constant}, {@code mask-last}, {@code ff1} or
     *     {@code bucket}, which need one
     * @return the operation
     * @throws ConfigurationException when the kind needs an argument
     */
    public static Operation of(Kind kind) {
        return parse(kind.spec());
    }

    /**
     * Parses a spec such as {@code drop}, {@code constant(unknown)}, {@code mask-last(4)},
     * {@code ff1(ssn)} or {@code bucket(10)}; names ignore case.
     *
     * @param spec the spec
     * @return the operation
     * @throws ConfigurationException when the spec is unknown or its argument is invalid
     */
    public static Operation parse(String spec) {
        String text = Objects.requireNonNull(spec, "spec").strip();
        int open = text.indexOf('(');
        if (open >= 0 && !text.endsWith(")")) {
            throw unknown(spec);
        }
        String name = (open < 0 ? text : text.substring(0, open)).strip().toLowerCase(Locale.ROOT);
        String argument = open < 0 ? "" : text.substring(open + 1, text.length() - 1);
        for (Kind kind : Kind.values()) {
            if (kind.spec.equals(name)) {
                return new Operation(kind, checkedArgument(kind, argument, text));
            }
        }
        throw unknown(spec);
    }

    private static ConfigurationException unknown(String spec) {
        return new ConfigurationException("unknown de-identification operation '" + spec
                + "': use keep, drop, redact, constant(TEXT), type-tag, mask-last(N),"
                + " pseudonymize, ff1(ssn|phone|digits), zip3, year, year-month, quarter,"
                + " birth-year, birth-shift, age-90, bucket(N), shift or scrub");
    }

    private static String checkedArgument(Kind kind, String argument, String spec) {
        switch (kind) {
            case CONSTANT:
                return argument;
            case MASK_LAST:
            case BUCKET:
                if (!argument.strip().matches("[1-9][0-9]{0,5}")) {
                    throw new ConfigurationException("operation '" + spec
                            + "' needs a whole number from 1 to 999999 in parentheses");
                }
                return argument.strip();
            case FF1:
                try {
                    return Ff1Format.valueOf(argument.strip().toUpperCase(Locale.ROOT)).name();
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("operation '" + spec
                            + "' needs a format: ff1(ssn), ff1(phone) or ff1(digits)");
                }
            default:
                if (!argument.isEmpty()) {
                    throw new ConfigurationException("operation '" + spec
                            + "' takes no argument");
                }
                return "";
        }
    }

    /**
     * Returns the kind.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the argument: the constant text, N, or the FF1 format name; empty for none.
     *
     * @return the argument
     */
    public String argument() {
        return argument;
    }

    int number() {
        return Integer.parseInt(argument);
    }

    Ff1Format ff1Format() {
        return Ff1Format.valueOf(argument);
    }

    /**
     * Tells whether the operation needs the de-identification keys.
     *
     * @return true for pseudonyms, FF1 and date shifts
     */
    public boolean needsKeys() {
        return kind == Kind.PSEUDONYMIZE || kind == Kind.FF1 || kind == Kind.SHIFT
                || kind == Kind.BIRTH_SHIFT;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Operation && ((Operation) other).kind == kind
                && ((Operation) other).argument.equals(argument);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + argument.hashCode();
    }

    /**
     * Returns the spec; a constant's text is shown because it comes from configuration.
     *
     * @return the spec, such as {@code mask-last(4)}
     */
    @Override
    public String toString() {
        return argument.isEmpty() && kind != Kind.CONSTANT ? kind.spec
                : kind.spec + "(" + argument.toLowerCase(Locale.ROOT) + ")";
    }
}
