package org.phicourier.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.PhiCourierException;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
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
     * What reading a stream gave.
     *
     * @param rows the rows delivered before the end or the failure
     * @param failure the failure, if any
     */
    public record Outcome(List<Row> rows, Optional<PhiCourierException> failure) {
    }
}
