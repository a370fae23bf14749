package org.phicourier.http.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;

/**
 * URL helpers: the printable form of a URL (without query string, fragment or user info, which
 * may hold PHI or credentials), the transport check, origins, and query strings.
 */
public final class Urls {
    private Urls() {
    }

    /**
     * Returns a URL fit for messages and logs: scheme, host, port and path only.
     *
     * @param uri any URL
     * @return for example {@code https://ehr.example/fhir/Patient}
     */
    public static String redact(URI uri) {
        StringBuilder text = new StringBuilder();
        if (uri.getScheme() != null) {
            text.append(uri.getScheme()).append("://");
        }
        text.append(Objects.toString(uri.getHost(), "?"));
        if (uri.getPort() >= 0) {
            text.append(':').append(uri.getPort());
        }
        return text.append(Optional.ofNullable(uri.getRawPath()).orElse("")).toString();
    }

    /**
     * Checks that a URL is absolute HTTPS, or plain HTTP when allowed.
     *
     * @param uri the URL
     * @param allowPlainHttp whether plain HTTP is allowed
     * @param what what the URL is, for the message
     * @return the URL
     * @throws ConfigurationException when the URL is relative, of another scheme, or plain HTTP
     *     without permission
     */
    public static URI checkTransport(URI uri, boolean allowPlainHttp, String what) {
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ConfigurationException(what + " " + redact(uri)
                    + " must be an absolute http(s) URL with a host");
        }
        if (scheme.equals("http") && !allowPlainHttp) {
            throw new ConfigurationException(what + " " + redact(uri) + " is plain HTTP; use"
                    + " HTTPS, or allowPlainHttp(true) for a local test server");
        }
        return uri;
    }

    /**
     * Tells whether two URLs share scheme, host and port.
     *
     * @param a one URL
     * @param b another URL
     * @return true when their origins match
     */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /**
     * Resolves a link found in a response against the URL of that response, and checks that it
     * stays on the same origin as the base URL, so credentials are never sent elsewhere.
     *
     * @param current the URL of the response holding the link
     * @param link the link text
     * @param base the configured base URL
     * @return the absolute link
     * @throws SourceException when the link is malformed or leaves the origin
     */
    public static URI sameOriginLink(URI current, String link, URI base) {
        URI resolved;
        try {
            resolved = current.resolve(new URI(link.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new SourceException("the response of " + redact(current)
                    + " holds a next-page link that is not a valid URL");
        }
        if (resolved.getHost() == null || !sameOrigin(resolved, base)) {
            throw new SourceException("the response of " + redact(current) + " links to "
                    + redact(resolved) + ", outside the server " + redact(base.resolve("/"))
                    + "; links to other origins are not followed");
        }
        return resolved;
    }

    /**
     * Appends a path to a base URL, keeping exactly one slash between them.
     *
     * @param base the base URL
     * @param path the path, with or without a leading slash
     * @return the combined URL, without query
     */
    public static URI child(URI base, String path) {
        String text = base.toString().replaceAll("/+$", "");
        String tail = path.replaceAll("^/+", "");
        return URI.create(tail.isEmpty() ? text : text + "/" + tail);
    }

    /**
     * Returns a URL with query parameters appended, each name and value form-encoded.
     *
     * @param uri a URL that may already have a query
     * @param params the parameters, in order; names may repeat
     * @return the URL
     */
    public static URI withQuery(URI uri, List<Map.Entry<String, String>> params) {
        if (params.isEmpty()) {
            return uri;
        }
        StringBuilder text = new StringBuilder(uri.toString());
        char separator = uri.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> param : params) {
            text.append(separator).append(encode(param.getKey())).append('=')
                    .append(encode(param.getValue()));
            separator = '&';
        }
        return URI.create(text.toString());
    }

    /**
     * Returns a URL whose query parameter of a name is replaced (or added).
     *
     * @param uri the URL
     * @param name the parameter name
     * @param value the new value
     * @return the URL
     */
    public static URI replaceParam(URI uri, String name, String value) {
        String query = uri.getRawQuery();
        StringBuilder kept = new StringBuilder();
        if (query != null) {
            for (String pair : query.split("&")) {
                String rawName = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!rawName.equals(encode(name)) && !pair.isEmpty()) {
                    kept.append(kept.length() == 0 ? "" : "&").append(pair);
                }
            }
        }
        String prefix = uri.toString();
        int cut = prefix.indexOf('?');
        prefix = cut < 0 ? prefix : prefix.substring(0, cut);
        String base = kept.length() == 0 ? prefix : prefix + "?" + kept;
        return withQuery(URI.create(base), List.of(Map.entry(name, value)));
    }

    /**
     * Form-encodes a query parameter name or value as UTF-8.
     *
     * @param text the text
     * @return the encoded text
     */
    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
