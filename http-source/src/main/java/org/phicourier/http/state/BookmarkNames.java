package org.phicourier.http.state;

import java.util.regex.Pattern;

/** The pattern bookmark names follow. */
final class BookmarkNames {
    static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:/-]{1,200}");

    private BookmarkNames() {
    }
}
