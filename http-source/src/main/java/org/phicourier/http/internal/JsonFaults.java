package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;

/**
 * Describes JSON and I/O failures without their messages: Jackson quotes the offending text in
 * its messages, and that text may be PHI, so only the kind of fault and its position are kept.
 */
public final class JsonFaults {
    private JsonFaults() {
    }

    /**
     * Describes a parsing fault by kind and position.
     *
     * @param e Jackson's exception
     * @return for example {@code malformed JSON at line 3, column 17}
     */
    public static String describe(JsonProcessingException e) {
        String kind;
        if (e instanceof JsonEOFException) {
            kind = "the body ends inside a JSON value (truncated)";
        } else if (e instanceof StreamConstraintsException) {
            kind = "JSON exceeding the parser's size or nesting limits";
        } else {
            kind = "malformed JSON";
        }
        return kind + position(e.getLocation());
    }

    /**
     * Describes a position in a body.
     *
     * @param location a parser location, possibly null
     * @return for example {@code  at line 3, column 17}; empty when unknown
     */
    public static String position(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Describes an I/O failure by its class only: the JDK's messages may name URLs with
     * queries.
     *
     * @param e the failure
     * @return for example {@code java.net.ConnectException}
     */
    public static String describe(IOException e) {
        return e.getClass().getName();
    }

    /**
     * Copies an exception's class and stack without its message or cause, to keep as a cause.
     *
     * @param e the failure
     * @return a message-free stand-in
     */
    public static Exception stripped(Exception e) {
        Exception copy = new Exception(e.getClass().getName());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
