package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonPointer;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** Checks each page once it is read and decides which page comes next, if any. */
public interface PageTurner {
    /**
     * Returns the values this turner needs captured from each page body.
     *
     * @return JSON pointers
     */
    Set<JsonPointer> captures();

    /**
     * Checks a page and finds the next.
     *
     * @param page what the page told
     * @return the URL of the next page; empty when the stream ends here
     * @throws BodyFault when the page is not shaped as expected
     * @throws org.phicourier.SourceException when a link is unusable
     */
    Optional<URI> next(PageInfo page);
}
