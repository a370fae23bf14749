package org.phicourier.http;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;

/**
 * How a REST stream finds its next page, and when it stops.
 *
 * <p>The styles: none (one request); a next URL in the body at a JSON pointer; the FHIR
 * {@code Bundle.link} with relation {@code next}; the RFC 8288 {@code Link} header with
 * {@code rel="next"}; a cursor token from the body sent back as a query parameter; an offset and
 * limit; a page number. Next links are followed only on the origin of the base URL.
 *
 * <p>Every style stops when the server offers no next page: no link, an empty or null cursor, or
 * (for offset and page number) a page without records. Further stop conditions can be added:
 * {@link #stopAtTotal} (a total count in the body is reached), {@link #stopWhenFalse} (a flag
 * such as {@code has_more} is false), {@link #stopOnShortPage} (a page holds fewer records than
 * asked for; only safe when the server never returns less than asked before the end) and
 * {@link #maxPages}. A link or cursor leading back to a page already read fails the stream.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Pagination {
    /** The ways of finding the next page. */
    enum Style { NONE, BODY_URL, FHIR_LINK, LINK_HEADER, CURSOR, OFFSET, PAGE_NUMBER }

    private final Style style;
    private final JsonPointer pointer;
    private final String param;
    private final String sizeParam;
    private final int size;
    private final long start;
    private final JsonPointer total;
    private final JsonPointer hasMore;
    private final boolean stopOnShortPage;
    private final int maxPages;

    private Pagination(Style style, JsonPointer pointer, String param, String sizeParam,
            int size, long start, JsonPointer total, JsonPointer hasMore, boolean shortPage,
            int maxPages) {
        this.style = style;
        this.pointer = pointer;
        this.param = param;
        this.sizeParam = sizeParam;
        this.size = size;
        this.start = start;
        this.total = total;
        this.hasMore = hasMore;
        this.stopOnShortPage = shortPage;
        this.maxPages = maxPages;
    }

    private static Pagination of(Style style, JsonPointer pointer, String param,
            String sizeParam, int size, long start) {
        return new Pagination(style, pointer, param, sizeParam, size, start, null, null, false, 0);
    }

    /**
     * One request, no further pages.
     *
     * @return the pagination
     */
    public static Pagination none() {
        return of(Style.NONE, null, null, null, 0, 0);
    }

    /**
     * The next page's URL is in the body, for example {@code /links/next}; absolute or relative
     * to the page's URL.
     *
     * @param pointer a JSON pointer
     * @return the pagination
     * @throws ConfigurationException when the pointer is malformed
     */
    public static Pagination nextUrlInBody(String pointer) {
        return of(Style.BODY_URL, pointer(pointer), null, null, 0, 0);
    }

    /**
     * The next page is the FHIR Bundle link with relation {@code next}.
     *
     * @return the pagination
     */
    public static Pagination fhirNextLink() {
        return of(Style.FHIR_LINK, null, null, null, 0, 0);
    }

    /**
     * The next page is the {@code Link} header's target with {@code rel="next"} (RFC 8288).
     *
     * @return the pagination
     */
    public static Pagination linkHeader() {
        return of(Style.LINK_HEADER, null, null, null, 0, 0);
    }

    /**
     * Each page holds a cursor token at a JSON pointer, sent back as a query parameter for the
     * next page; a missing, null or empty cursor ends the stream.
     *
     * @param cursorPointer where the token is in the body, for example {@code /meta/next_cursor}
     * @param cursorParam the query parameter that carries it, for example {@code cursor}
     * @return the pagination
     * @throws ConfigurationException when the pointer or parameter is malformed
     */
    public static Pagination cursor(String cursorPointer, String cursorParam) {
        return of(Style.CURSOR, pointer(cursorPointer), name(cursorParam), null, 0, 0);
    }

    /**
     * Pages by offset and limit, starting at offset 0; the offset advances by the records each
     * page held, so a server that returns fewer than asked loses nothing.
     *
     * @param offsetParam the offset parameter, for example {@code offset}
     * @param limitParam the limit parameter, for example {@code limit}
     * @param limit records asked for per page, at least 1
     * @return the pagination
     * @throws ConfigurationException when a parameter is malformed or the limit below 1
     */
    public static Pagination offset(String offsetParam, String limitParam, int limit) {
        return of(Style.OFFSET, null, name(offsetParam), name(limitParam), positive(limit), 0);
    }

    /**
     * Pages by page number, from a first page (usually 0 or 1) upward.
     *
     * @param pageParam the page parameter, for example {@code page}
     * @param firstPage the number of the first page
     * @param sizeParam the page size parameter, for example {@code per_page}
     * @param pageSize records asked for per page, at least 1
     * @return the pagination
     * @throws ConfigurationException when a parameter is malformed or the size below 1
     */
    public static Pagination pageNumber(String pageParam, long firstPage, String sizeParam,
            int pageSize) {
        return of(Style.PAGE_NUMBER, null, name(pageParam), name(sizeParam), positive(pageSize),
                firstPage);
    }

    /**
     * Also stops once as many records as the number at a JSON pointer have been read.
     *
     * @param pointer where the body holds the total, for example {@code /total}
     * @return the changed pagination
     */
    public Pagination stopAtTotal(String pointer) {
        return new Pagination(style, this.pointer, param, sizeParam, size, start,
                pointer(pointer), hasMore, stopOnShortPage, maxPages);
    }

    /**
     * Also stops after a page whose value at a JSON pointer is {@code false}.
     *
     * @param pointer where the body holds the flag, for example {@code /has_more}
     * @return the changed pagination
     */
    public Pagination stopWhenFalse(String pointer) {
        return new Pagination(style, this.pointer, param, sizeParam, size, start, total,
                pointer(pointer), stopOnShortPage, maxPages);
    }

    /**
     * Also stops after a page with fewer records than asked for; for offset and page number
     * only. Off by default because a server that caps its page size would end the stream early.
     *
     * @return the changed pagination
     * @throws ConfigurationException for other styles, which ask for no page size
     */
    public Pagination stopOnShortPage() {
        if (size == 0) {
            throw new ConfigurationException("stopOnShortPage needs offset or page-number"
                    + " pagination, which ask for a page size");
        }
        return new Pagination(style, pointer, param, sizeParam, size, start, total, hasMore,
                true, maxPages);
    }

    /**
     * Also stops after a number of pages, even if the server offers more.
     *
     * @param pages at least 1
     * @return the changed pagination
     * @throws ConfigurationException when below 1
     */
    public Pagination maxPages(int pages) {
        return new Pagination(style, pointer, param, sizeParam, size, start, total, hasMore,
                stopOnShortPage, positive(pages));
    }

    private static JsonPointer pointer(String text) {
        Objects.requireNonNull(text, "pointer");
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("'" + text + "' is not a JSON pointer (RFC 6901),"
                    + " such as /data/next");
        }
    }

    private static String name(String param) {
        if (param == null || param.isBlank()) {
            throw new ConfigurationException("a pagination query parameter name must not be"
                    + " blank");
        }
        return param;
    }

    private static int positive(int n) {
        if (n < 1) {
            throw new ConfigurationException("a page size or page count must be at least 1");
        }
        return n;
    }

    Style style() {
        return style;
    }

    JsonPointer pointer() {
        return pointer;
    }

    String param() {
        return param;
    }

    Optional<String> sizeParam() {
        return Optional.ofNullable(sizeParam);
    }

    int size() {
        return size;
    }

    long start() {
        return start;
    }

    Optional<JsonPointer> total() {
        return Optional.ofNullable(total);
    }

    Optional<JsonPointer> hasMore() {
        return Optional.ofNullable(hasMore);
    }

    boolean shortPageStops() {
        return stopOnShortPage;
    }

    int maxPageCount() {
        return maxPages;
    }

    @Override
    public String toString() {
        return "Pagination[" + style + (param == null ? "" : ", " + param)
                + (pointer == null ? "" : ", " + pointer) + (size == 0 ? "" : ", size " + size)
                + (maxPages == 0 ? "" : ", maxPages " + maxPages) + "]";
    }
}
