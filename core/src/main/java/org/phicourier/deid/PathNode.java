package org.phicourier.deid;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One distinct path of a stream's JSON leaves (array levels left out), with its cached decision
 * per enclosing datatype and its counters, so that each record is walked without building path
 * strings. Not thread-safe: owned by one stream transform.
 */
final class PathNode {
    private final String path;
    private final String key;
    private final String[] lowerSegments;
    private final Map<String, PathNode> children = new HashMap<>();
    private final Decision[] decisions = new Decision[FhirType.values().length];
    final long[] counts = new long[Outcome.values().length];

    private PathNode(String path, String key, String[] lowerSegments) {
        this.path = path;
        this.key = key;
        this.lowerSegments = lowerSegments;
    }

    static PathNode root(String column) {
        return new PathNode(column, column, new String[] {column.toLowerCase(Locale.ROOT)});
    }

    PathNode child(String childKey, int[] budget) {
        PathNode child = children.get(childKey);
        if (child == null) {
            if (--budget[0] < 0) {
                throw new BadValueException("more distinct JSON paths than a stream may hold");
            }
            String[] segments = java.util.Arrays.copyOf(lowerSegments, lowerSegments.length + 1);
            segments[lowerSegments.length] = childKey.toLowerCase(Locale.ROOT);
            child = new PathNode(path + "." + childKey, childKey, segments);
            children.put(childKey, child);
        }
        return child;
    }

    Decision decision(FhirType type) {
        return decisions[type.ordinal()];
    }

    void decide(FhirType type, Decision decision) {
        decisions[type.ordinal()] = decision;
    }

    void count(Outcome outcome) {
        counts[outcome.ordinal()]++;
    }

    String path() {
        return path;
    }

    String key() {
        return key;
    }

    String[] lowerSegments() {
        return lowerSegments;
    }

    /** Visits this node and every descendant. */
    void forEach(java.util.function.Consumer<PathNode> visitor) {
        visitor.accept(this);
        children.values().forEach(child -> child.forEach(visitor));
    }

    @Override
    public String toString() {
        return "PathNode[" + path + "]";
    }
}
