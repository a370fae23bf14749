package org.phicourier.deid;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The structured PHI of one record or subject (names, address, phone, identifiers, birth date),
 * kept as normalised token sequences in several renderings, so that free text naming the same
 * person in another case, order or format is found. Held in memory only; never written, logged
 * or printed. Not thread-safe while being filled; treat as read-only once shared.
 */
final class PhiTerms {
    private static final Set<String> STOP = Set.of("mr", "mrs", "ms", "miss", "dr", "jr", "sr",
            "ii", "iii", "iv", "md", "phd", "the", "of", "and", "de", "la", "le", "du", "van",
            "von", "der", "den", "us", "usa");
    private static final List<DateTimeFormatter> DATE_RENDERINGS = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd"), DateTimeFormatter.ofPattern("MM/dd/yyyy"),
            DateTimeFormatter.ofPattern("M/d/yyyy"), DateTimeFormatter.ofPattern("dd.MM.yyyy"),
            DateTimeFormatter.ofPattern("MMMM d yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("MMM d yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("yyyyMMdd"));

    private final Map<String, Category> sequences = new HashMap<>();
    private final Set<String> firstTokens = new HashSet<>();
    private final BitSet lengths = new BitSet();

    /** A token of a text: where it is and its normalised form. */
    record Token(int start, int end, String norm) {
    }

    boolean isEmpty() {
        return sequences.isEmpty();
    }

    int size() {
        return sequences.size();
    }

    /** Adds a structured value of a category in the renderings that category calls for. */
    void add(Category category, String value) {
        List<Token> tokens = tokens(value);
        if (tokens.isEmpty()) {
            return;
        }
        switch (category) {
            case NAME:
                tokens.forEach(t -> addName(t.norm));
                break;
            case PHONE:
            case FAX:
            case SSN:
                addSequence(category, tokens);
                addNumber(category, value.replaceAll("[^0-9]", ""));
                break;
            case BIRTH_DATE:
                addBirthDate(value);
                break;
            default:
                addSequence(category, tokens);
        }
    }

    private void addName(String token) {
        if (token.length() < 2 || STOP.contains(token)) {
            return;
        }
        put(List.of(token), Category.NAME);
        String letters = token.replaceFirst("[0-9]+$", "");
        if (letters.length() >= 2 && !letters.equals(token) && !STOP.contains(letters)) {
            put(List.of(letters), Category.NAME);
        }
    }

    private void addNumber(Category category, String digits) {
        if (digits.length() >= 7) {
            put(List.of(digits), category);
            if (digits.length() == 11 && digits.charAt(0) == '1') {
                put(List.of(digits.substring(1)), category);
            }
        }
    }

    private void addSequence(Category category, List<Token> tokens) {
        boolean single = tokens.size() == 1;
        String only = tokens.get(0).norm;
        if (single && (only.length() < 3 || STOP.contains(only))) {
            return;
        }
        List<String> norms = new ArrayList<>(tokens.size());
        tokens.forEach(t -> norms.add(t.norm));
        put(norms, category);
    }

    private void addBirthDate(String value) {
        LocalDate date;
        try {
            date = Dates.parse(value).date();
        } catch (BadValueException e) {
            return;
        }
        for (DateTimeFormatter format : DATE_RENDERINGS) {
            List<Token> tokens = tokens(format.format(date));
            List<String> norms = new ArrayList<>();
            tokens.forEach(t -> norms.add(t.norm));
            put(norms, Category.BIRTH_DATE);
        }
    }

    private void put(List<String> norms, Category category) {
        sequences.putIfAbsent(String.join(" ", norms), category);
        firstTokens.add(norms.get(0));
        lengths.set(norms.size());
    }

    /** Returns a new set holding the terms of both. */
    PhiTerms union(PhiTerms other) {
        PhiTerms union = new PhiTerms();
        union.absorb(this);
        union.absorb(other);
        return union;
    }

    void absorb(PhiTerms other) {
        other.sequences.forEach(sequences::putIfAbsent);
        firstTokens.addAll(other.firstTokens);
        lengths.or(other.lengths);
    }

    /** Finds every occurrence of a term in a text. */
    List<Span> find(String text, List<Token> tokens) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!firstTokens.contains(tokens.get(i).norm)) {
                continue;
            }
            for (int n = lengths.nextSetBit(1); n > 0 && i + n <= tokens.size();
                    n = lengths.nextSetBit(n + 1)) {
                Category category = sequences.get(join(tokens, i, n));
                if (category != null) {
                    spans.add(Span.tagged(tokens.get(i).start, tokens.get(i + n - 1).end,
                            category));
                }
            }
        }
        return spans;
    }

    private static String join(List<Token> tokens, int from, int count) {
        if (count == 1) {
            return tokens.get(from).norm;
        }
        StringBuilder joined = new StringBuilder(tokens.get(from).norm);
        for (int i = from + 1; i < from + count; i++) {
            joined.append(' ').append(tokens.get(i).norm);
        }
        return joined.toString();
    }

    /** Splits a text into runs of letters and digits, case-folded. */
    static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                String token = text.substring(start, i);
                tokens.add(new Token(start, i, normalise(token)));
            }
        }
        return tokens;
    }

    private static String normalise(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        return Normalizer.isNormalized(lower, Normalizer.Form.NFKC) ? lower
                : Normalizer.normalize(lower, Normalizer.Form.NFKC);
    }

    /** Shows the count only. */
    @Override
    public String toString() {
        return "PhiTerms[" + sequences.size() + " terms]";
    }
}
