package org.phicourier.testdoubles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.Sink;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.spi.WriteResult;

/** A sink that keeps committed rows in memory and records what happened to each stream. */
public final class CollectingSink implements Sink {
    private final Map<String, List<Row>> committed = new LinkedHashMap<>();
    private final List<String> aborted = new ArrayList<>();
    private int prepared;
    private RuntimeException prepareFailure;

    public CollectingSink failPrepare(RuntimeException failure) {
        this.prepareFailure = failure;
        return this;
    }

    public Map<String, List<Row>> committed() {
        return committed;
    }

    public List<String> aborted() {
        return aborted;
    }

    public int prepared() {
        return prepared;
    }

    @Override
    public void prepare() {
        prepared++;
        if (prepareFailure != null) {
            throw prepareFailure;
        }
    }

    @Override
    public StreamWriter open(StreamContext context, Schema schema) {
        List<Row> pending = new ArrayList<>();
        return new StreamWriter() {
            private boolean done;

            @Override
            public void write(RowBatch batch) {
                pending.addAll(batch.rows());
            }

            @Override
            public WriteResult commit() {
                done = true;
                committed.put(context.stream(), List.copyOf(pending));
                return new WriteResult(List.of(context.stream() + "/" + context.runId()),
                        pending.size() * 10L, pending.size());
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    aborted.add(context.stream());
                }
            }

            @Override
            public void close() {
                abort();
            }
        };
    }
}
