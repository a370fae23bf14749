package org.phicourier.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Summarises FHIR OperationOutcome resources by their coded parts only: each issue's severity,
 * code and coded details. The free-text {@code diagnostics} and {@code details.text} are left out
 * because servers echo search values (names, identifiers) in them.
 */
public final class OperationOutcomes {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Set<String> FAILING = Set.of("fatal", "error");
    private static final int MAX_ISSUES = 5;

    private OperationOutcomes() {
    }

    /**
     * Tells whether a resource is an OperationOutcome.
     *
     * @param resource a FHIR resource
     * @return true when its resourceType says so
     */
    public static boolean is(JsonNode resource) {
        return "OperationOutcome".equals(resource.path("resourceType").asText());
    }

    /**
     * Tells whether an OperationOutcome reports a failure (an issue of severity error or fatal).
     *
     * @param outcome the OperationOutcome
     * @return true when some issue is an error
     */
    public static boolean failing(JsonNode outcome) {
        for (JsonNode issue : outcome.path("issue")) {
            if (FAILING.contains(issue.path("severity").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Summarises an OperationOutcome by coded values.
     *
     * @param outcome the OperationOutcome
     * @return for example {@code OperationOutcome [error not-found (MSG_NO_EXIST)]}
     */
    public static String summary(JsonNode outcome) {
        List<String> issues = new ArrayList<>();
        for (JsonNode issue : outcome.path("issue")) {
            if (issues.size() == MAX_ISSUES) {
                issues.add("...");
                break;
            }
            issues.add(issue(issue));
        }
        return "OperationOutcome " + issues;
    }

    private static String issue(JsonNode issue) {
        StringBuilder text = new StringBuilder(code(issue.path("severity")))
                .append(' ').append(code(issue.path("code")));
        List<String> details = new ArrayList<>();
        for (JsonNode coding : issue.path("details").path("coding")) {
            details.add(code(coding.path("code")));
        }
        if (!details.isEmpty()) {
            text.append(' ').append(details);
        }
        return text.toString();
    }

    private static String code(JsonNode node) {
        String text = node.asText("");
        return CODE.matcher(text).matches() ? text : "?";
    }
}
