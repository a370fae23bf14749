package org.phicourier.deid;

/**
 * Where an identifier sits in a text, and what kind it is; holds offsets only, never the text.
 *
 * @param start the first character
 * @param end one past the last character
 * @param category the kind of identifier
 * @param replacement what replaces it when scrubbing
 */
record Span(int start, int end, Category category, String replacement) {
    static Span tagged(int start, int end, Category category) {
        return new Span(start, end, category, "[" + category.name() + "]");
    }
}
