package org.phicourier.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.PhiCourierException;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/** Reads sources the way a pipeline does, for tests. */
public final class Reading {
    private Reading() {
    }

    /**
     * Reads every stream of a source to its end.
     *
     * @param source the source
     * @return the rows of each stream, in discovery order
     */
    public static Map<String, List<Row>> all(Source source) {
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (StreamDescriptor stream : source.discover()) {
            rows.put(stream.name(), stream(source, stream));
        }
        return rows;
    }

    /**
     * Reads one stream to its end.
     *
     * @param source the source
     * @param stream the stream
     * @return its rows
     */
    public static List<Row> stream(Source source, StreamDescriptor stream) {
        Outcome outcome = untilFailure(source, stream);
        if (outcome.failure().isPresent()) {
            throw outcome.failure().get();
        }
        return outcome.rows();
    }

    /**
     * Reads one stream until it ends or fails, checking batch positions on the way.
     *
     * @param source the source
     * @param stream the stream
     * @return the rows delivered and the failure, if any
     */
    public static Outcome untilFailure(Source source, StreamDescriptor stream) {
        List<Row> rows = new ArrayList<>();
        try (StreamReader reader = source.open(stream)) {
            for (Optional<RowBatch> batch = reader.next(); batch.isPresent();
                    batch = reader.next()) {
                if (batch.get().firstPosition() != rows.size() + 1) {
                    throw new AssertionError("batch starts at " + batch.get().firstPosition()
                            + " after " + rows.size() + " rows");
                }
                rows.addAll(batch.get().rows());
            }
            return new Outcome(rows, Optional.empty());
        } catch (PhiCourierException e) {
            return new Outcome(rows, Optional.of(e));
        }
    }

    /**
     * Reads one stream to its end from a bookmark, as a pipeline with state does.
     *
     * @param source the source
     * @param stream the stream
     * @param from the bookmark to continue from, if any
     * @param batches how many batches to read at most
     * @return the rows and the reader's bookmark after the last batch read
     */
    public static Resumed resume(Source source, StreamDescriptor stream, Optional<Bookmark> from,
            int batches) {
        List<Row> rows = new ArrayList<>();
        try (StreamReader reader = source.open(stream, from)) {
            Optional<RowBatch> batch = Optional.empty();
            for (int i = 0; i < batches; i++) {
                batch = reader.next();
                if (batch.isEmpty()) {
                    break;
                }
                rows.addAll(batch.get().rows());
            }
            return new Resumed(rows, reader.bookmark());
        }
    }

    /**
     * What reading a stream from a bookmark gave.
     *
     * @param rows the rows read
     * @param bookmark the bookmark after them
     */
    public record Resumed(List<Row> rows, Optional<Bookmark> bookmark) {
    }

    /**
     * What reading a stream gave.
     *
     * @param rows the rows delivered before the end or the failure
     * @param failure the failure, if any
     */
    public record Outcome(List<Row> rows, Optional<PhiCourierException> failure) {
    }
}
