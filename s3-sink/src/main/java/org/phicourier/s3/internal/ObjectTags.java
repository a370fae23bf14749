package org.phicourier.s3.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Object tags as S3 takes them on upload, and the limits S3 puts on them. */
public final class ObjectTags {
    /** S3's limit on the tags of one object. */
    public static final int MAX_TAGS = 10;
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private ObjectTags() {
    }

    /**
     * Renders tags as the URL-encoded query the {@code x-amz-tagging} header carries.
     *
     * @param tags the tags
     * @return the query, or nothing when there are no tags
     */
    static Optional<String> query(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder query = new StringBuilder();
        new TreeMap<>(tags).forEach((name, value) -> query.append(query.length() == 0 ? "" : "&")
                .append(encode(name)).append('=').append(encode(value)));
        return Optional.of(query.toString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Tells what is wrong with a set of tags, by tag name.
     *
     * @param tags the tags
     * @return the problem, or nothing when S3 accepts them
     */
    public static Optional<String> problem(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            return Optional.of("at most " + MAX_TAGS + " object tags are allowed");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String name = tag.getKey();
            if (name.isEmpty() || name.length() > 128 || !ALLOWED.matcher(name).matches()) {
                return Optional.of("object tag name '" + name + "' is empty, longer than 128"
                        + " characters or has characters S3 refuses");
            }
            String value = tag.getValue();
            if (value.length() > 256 || !ALLOWED.matcher(value).matches()) {
                return Optional.of("the value of object tag '" + name + "' is longer than 256"
                        + " characters or has characters S3 refuses");
            }
        }
        return Optional.empty();
    }
}
