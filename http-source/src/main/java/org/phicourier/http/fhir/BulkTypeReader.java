package org.phicourier.http.fhir;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.phicourier.model.RowBatch;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.StreamReader;

/**
 * Reads the output files of one resource type of an export, one after the other, as one
 * stream, opening one download at a time. After every batch its bookmark names the export job
 * (its status URL), the file (by its place among the type's files) and the records of that file
 * delivered, so a later run can take the same job up and continue after them; at the end it is
 * the export's transaction time. Batch positions count through the whole stream. Not
 * thread-safe.
 */
final class BulkTypeReader implements StreamReader {
    static final String STATUS = "status";
    static final String FILE = "file";
    static final String RECORDS = "records";

    private final int files;
    private final BiFunction<Integer, Long, StreamReader> open;
    private final String statusUrl;
    private final Bookmark end;
    private int file;
    private long inFile;
    private long delivered;
    private boolean ended;
    private Optional<StreamReader> current = Optional.empty();

    /**
     * Creates a reader positioned after some records.
     *
     * @param files how many files the type has
     * @param open opens a file by its place, skipping a number of its records
     * @param statusUrl the job's status URL, for the bookmark
     * @param end the bookmark at the end of the stream
     * @param file the place of the file to start in
     * @param inFile the records of that file already delivered
     */
    BulkTypeReader(int files, BiFunction<Integer, Long, StreamReader> open, String statusUrl,
            Bookmark end, int file, long inFile) {
        this.files = files;
        this.open = open;
        this.statusUrl = statusUrl;
        this.end = end;
        this.file = file;
        this.inFile = inFile;
    }

    @Override
    public Optional<RowBatch> next() {
        while (file < files) {
            if (current.isEmpty()) {
                current = Optional.of(open.apply(file, inFile));
            }
            Optional<RowBatch> batch = current.get().next();
            if (batch.isPresent()) {
                RowBatch rows = batch.get();
                inFile += rows.size();
                delivered += rows.size();
                return Optional.of(RowBatch.of(rows.schema(), rows.rows(),
                        delivered - rows.size() + 1));
            }
            current.get().close();
            current = Optional.empty();
            file++;
            inFile = 0;
        }
        ended = true;
        return Optional.empty();
    }

    @Override
    public Optional<Bookmark> bookmark() {
        if (ended) {
            return Optional.of(end);
        }
        return Optional.of(Bookmark.of(Map.of(STATUS, statusUrl, FILE, Integer.toString(file),
                RECORDS, Long.toString(inFile))));
    }

    /**
     * Tells whether the stream was read to its end.
     *
     * @return true once {@link #next()} reported the end
     */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        current.ifPresent(StreamReader::close);
        current = Optional.empty();
    }

    @Override
    public String toString() {
        return "BulkTypeReader[file " + file + " of " + files + ", record " + inFile + "]";
    }
}
