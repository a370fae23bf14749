package org.phicourier.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds identifiers in free text by validated patterns: SSN, phone, fax, e-mail, URL, IPv4 and
 * IPv6 addresses, dates (ISO, numeric and month-name forms), ages of 90 and over, postal codes
 * after a state, street lines before a comma, and MRN-like tokens after context words (MRN, DOB,
 * Acct and similar). Thread-safe.
 */
final class Detectors {
    private static final String MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may"
            + "|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?"
            + "|dec(?:ember)?)";
    private static final Pattern SSN = Pattern.compile(
            "(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?:\\+?1[-. ]?)?\\(?[2-9]\\d{2}\\)?[-. ]?\\d{3}[-. ]\\d{4}(?!\\d)"
                    + "|\\+\\d{1,3}(?:[ -]?\\(?\\d\\)?){6,14}(?!\\d)");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern URL = Pattern.compile(
            "(?i)\\b(?:https?|ftp)://[^\\s<>\"']+|\\bwww\\.[^\\s<>\"']+");
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    private static final Pattern IPV6 = Pattern.compile(
            "(?i)(?<![0-9a-f:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![0-9a-f:])");
    private static final Pattern ISO_DATE = Pattern.compile("(?<!\\d)(\\d{4})-(\\d{2})-(\\d{2})"
            + "(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?(?!\\d)");
    private static final Pattern NUMERIC_DATE = Pattern.compile(
            "(?<![\\d/.-])(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\d/.-])");
    private static final Pattern NAMED_DATE = Pattern.compile("(?i)\\b(?:" + MONTH
            + "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+" + MONTH
            + "\\.?,?\\s+\\d{4}|" + MONTH + "\\.?\\s+\\d{4})\\b");
    private static final Pattern AGE = Pattern.compile("(?i)\\b(\\d{2,3})(?=[- ]?(?:years?|yrs?"
            + "|y/?o)\\b)|\\bage[d]?\\s*:?\\s*(\\d{2,3})\\b");
    private static final Pattern CONTEXT_ID = Pattern.compile("(?i)\\b(mrn|mr#|medical record"
            + "(?: number| no\\.?| #)?|patient id|acct|account(?: number| no\\.?| #)?|member id"
            + "|ssn|social security(?: number| no\\.?)?|dob|date of birth)\\s*[:#]?\\s*"
            + "((?=[A-Za-z0-9/-]*\\d)[A-Za-z0-9/-]{4,})");
    private static final Pattern STATE_ZIP = Pattern.compile(
            "(?:\\b[A-Z]{2}|,\\s*\\p{Lu}[\\p{L}.]+),?\\s+(\\d{4,5}(?:-\\d{4})?)\\b");
    private static final Pattern STREET = Pattern.compile("\\b\\d{1,6}\\s+\\p{Lu}[\\p{L}'.-]+"
            + "(?:\\s+\\p{Lu}[\\p{L}'.-]+){0,3}(?:\\s+(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln"
            + "|Way|Drive|Dr|Court|Ct|Boulevard|Blvd|Place|Pl|Terrace|Circle|Highway|Hwy|Square"
            + "|Parkway|Pkwy))?\\.?(?:\\s+(?:Unit|Apt|Suite|#)\\s*\\w+)?(?=\\s*,)");

    /** Returns every span the patterns find, possibly overlapping, in no particular order. */
    List<Span> find(String text) {
        List<Span> spans = new ArrayList<>();
        if (!mayHold(text)) {
            return spans;
        }
        ssn(text, spans);
        phones(text, spans);
        simple(EMAIL, Category.EMAIL, text, spans);
        simple(URL, Category.URL, text, spans);
        ipv4(text, spans);
        ipv6(text, spans);
        dates(text, spans);
        ages(text, spans);
        contextIds(text, spans);
        simple(STREET, Category.STREET, text, spans);
        Matcher zip = STATE_ZIP.matcher(text);
        while (zip.find()) {
            spans.add(Span.tagged(zip.start(1), zip.end(1), Category.ZIP));
        }
        return spans;
    }

    /** Every pattern needs a digit, an {@code @} or a URL mark; most short texts have none. */
    private static boolean mayHold(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9' || c == '@' || c == ':') {
                return true;
            }
        }
        return text.contains("www.");
    }

    private static void ssn(String text, List<Span> spans) {
        Matcher m = SSN.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("000") && !m.group(3).equals("00")
                    && !m.group(4).equals("0000")) {
                spans.add(Span.tagged(m.start(), m.end(), Category.SSN));
            }
        }
    }

    private static void phones(String text, List<Span> spans) {
        Matcher m = PHONE.matcher(text);
        while (m.find()) {
            int digits = m.group().replaceAll("[^0-9]", "").length();
            if (digits >= 10 && digits <= 15) {
                String before = text.substring(Math.max(0, m.start() - 12), m.start())
                        .toLowerCase(Locale.ROOT);
                spans.add(Span.tagged(m.start(), m.end(),
                        before.contains("fax") ? Category.FAX : Category.PHONE));
            }
        }
    }

    private static void simple(Pattern pattern, Category category, String text,
            List<Span> spans) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            spans.add(Span.tagged(m.start(), m.end(), category));
        }
    }

    private static void ipv4(String text, List<Span> spans) {
        Matcher m = IPV4.matcher(text);
        while (m.find()) {
            boolean valid = true;
            for (int g = 1; g <= 4; g++) {
                valid &= Integer.parseInt(m.group(g)) <= 255;
            }
            if (valid) {
                spans.add(Span.tagged(m.start(), m.end(), Category.IP_ADDRESS));
            }
        }
    }

    private static void ipv6(String text, List<Span> spans) {
        Matcher m = IPV6.matcher(text);
        while (m.find()) {
            String found = m.group();
            long colons = found.chars().filter(c -> c == ':').count();
            boolean hexLetters = found.toLowerCase(Locale.ROOT).matches(".*[a-f].*");
            if (colons >= 7 || found.contains("::") && (hexLetters || colons >= 3)) {
                spans.add(Span.tagged(m.start(), m.end(), Category.IP_ADDRESS));
            }
        }
    }

    private static void dates(String text, List<Span> spans) {
        Matcher iso = ISO_DATE.matcher(text);
        while (iso.find()) {
            if (validDay(Integer.parseInt(iso.group(2)), Integer.parseInt(iso.group(3)))) {
                spans.add(Span.tagged(iso.start(), iso.end(), Category.DATE));
            }
        }
        Matcher numeric = NUMERIC_DATE.matcher(text);
        while (numeric.find()) {
            int a = Integer.parseInt(numeric.group(1));
            int b = Integer.parseInt(numeric.group(3));
            if (validDay(a, b) || validDay(b, a)) {
                spans.add(Span.tagged(numeric.start(), numeric.end(), Category.DATE));
            }
        }
        simple(NAMED_DATE, Category.DATE, text, spans);
    }

    private static boolean validDay(int month, int day) {
        return month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }

    private static void ages(String text, List<Span> spans) {
        Matcher m = AGE.matcher(text);
        while (m.find()) {
            int group = m.group(1) != null ? 1 : 2;
            if (Integer.parseInt(m.group(group)) >= 90) {
                spans.add(new Span(m.start(group), m.end(group), Category.AGE,
                        ValueOps.NINETY_PLUS));
            }
        }
    }

    private static void contextIds(String text, List<Span> spans) {
        Matcher m = CONTEXT_ID.matcher(text);
        while (m.find()) {
            String word = m.group(1).toLowerCase(Locale.ROOT);
            Category category = word.startsWith("acct") || word.startsWith("account")
                    ? Category.ACCOUNT : word.startsWith("member") ? Category.HEALTH_PLAN
                    : word.startsWith("ss") || word.startsWith("social") ? Category.SSN
                    : word.startsWith("d") ? Category.DATE : Category.MRN;
            spans.add(Span.tagged(m.start(2), m.end(2), category));
        }
    }

    @Override
    public String toString() {
        return "Detectors[v1]";
    }
}
