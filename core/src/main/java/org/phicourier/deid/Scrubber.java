package org.phicourier.deid;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scrubs free text: replaces every span the {@link Detectors} or the record's own
 * {@link PhiTerms} find with a tag such as {@code [NAME]}; and runs the same detectors again over
 * a result (the residual scan). Handles plain text, XHTML narrative and Base64-encoded text
 * attachments. Thread-safe.
 */
final class Scrubber {
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final String XHTML_OPEN = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";

    private final Detectors detectors = new Detectors();

    /** The form a free-text value is stored in. */
    enum Form { PLAIN, XHTML, BASE64 }

    /**
     * Scrubs a value in its form.
     *
     * @param hits receives one count per replaced span, by category name
     * @throws BadValueException when a Base64 value is not valid Base64 UTF-8 text
     */
    String scrub(Form form, String value, List<PhiTerms> terms, Map<String, Long> hits) {
        switch (form) {
            case XHTML:
                return XHTML_OPEN + escape(scrubText(unmarkup(value), terms, hits)) + "</div>";
            case BASE64:
                String text = decodeBase64Text(value);
                return Base64.getEncoder().encodeToString(
                        scrubText(text, terms, hits).getBytes(StandardCharsets.UTF_8));
            default:
                return scrubText(value, terms, hits);
        }
    }

    /** Tells whether a scrubbed value still holds anything the detectors or terms find. */
    boolean residual(Form form, String value, List<PhiTerms> terms) {
        String text = form == Form.BASE64 ? decodeBase64Text(value)
                : form == Form.XHTML ? unmarkup(value) : value;
        return !spans(text, terms).isEmpty();
    }

    String scrubText(String text, List<PhiTerms> terms, Map<String, Long> hits) {
        List<Span> spans = merged(spans(text, terms));
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Span span : spans) {
            out.append(text, at, span.start()).append(span.replacement());
            at = span.end();
            hits.merge(span.category().name(), 1L, Long::sum);
        }
        return out.append(text, at, text.length()).toString();
    }

    private List<Span> spans(String text, List<PhiTerms> terms) {
        List<Span> spans = detectors.find(text);
        List<PhiTerms.Token> tokens = null;
        for (PhiTerms set : terms) {
            if (!set.isEmpty()) {
                tokens = tokens == null ? PhiTerms.tokens(text) : tokens;
                spans.addAll(set.find(text, tokens));
            }
        }
        return spans;
    }

    private static List<Span> merged(List<Span> spans) {
        spans.sort(Comparator.comparingInt(Span::start)
                .thenComparing(Comparator.comparingInt(Span::end).reversed()));
        List<Span> merged = new ArrayList<>();
        for (Span span : spans) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && span.start() < last.end()) {
                if (span.end() > last.end()) {
                    merged.set(merged.size() - 1, new Span(last.start(), span.end(),
                            last.category(), last.replacement()));
                }
            } else {
                merged.add(span);
            }
        }
        return merged;
    }

    static String decodeBase64Text(String value) {
        try {
            byte[] bytes = Base64.getMimeDecoder().decode(value);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new BadValueException("attachment is not Base64-encoded UTF-8 text");
        }
    }

    private static String unmarkup(String xhtml) {
        return TAG.matcher(xhtml).replaceAll(" ").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&apos;", "'").replace("&nbsp;", " ")
                .replace("&amp;", "&");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return "Scrubber[" + detectors + "]";
    }
}
