package org.phicourier.s3.parquet.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.spi.RecordFormat;

/** Writes one object's rows as a Parquet file into the sink's encrypting stream. */
public final class ParquetRowEncoder implements RecordFormat.Encoder {
    private final Columns columns;
    private final ParquetWriter<Object[]> writer;

    private ParquetRowEncoder(Columns columns, ParquetWriter<Object[]> writer) {
        this.columns = columns;
        this.writer = writer;
    }

    /**
     * Starts the file.
     *
     * @param out the encrypting stream, left open
     * @param schema the rows' schema
     * @param codec the page compression
     * @param rowGroupBytes the row-group size
     * @param pageBytes the page size
     * @return the encoder
     * @throws IOException when the schema has no Parquet form, the file cannot start, or a
     *     parquet-java logger would log values
     */
    public static ParquetRowEncoder open(OutputStream out, Schema schema,
            CompressionCodecName codec, long rowGroupBytes, int pageBytes) throws IOException {
        Optional<String> logging = LogGuard.problem();
        if (logging.isPresent()) {
            throw new IOException("Parquet writing refused: " + logging.get());
        }
        Columns columns;
        try {
            columns = Columns.of(schema);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        ParquetWriter<Object[]> writer = new Builder(new StreamFile(out), columns)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(PageCodecs.INSTANCE)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(codec).withRowGroupSize(rowGroupBytes)
                .withPageSize(pageBytes).withDictionaryPageSize(pageBytes)
                .withValidation(false).build();
        return new ParquetRowEncoder(columns, writer);
    }

    @Override
    public void write(Row row) throws IOException {
        writer.write(ColumnValues.of(columns, row));
    }

    @Override
    public void finish() throws IOException {
        writer.close();
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final Columns columns;

        Builder(OutputFile file, Columns columns) {
            super(file);
            this.columns = columns;
        }

        @Override
        protected Builder self() {
            return this;
        }

        // Abstract in parquet-java though deprecated; the plain-configuration path is used.
        @Override
        @SuppressWarnings("deprecation")
        protected WriteSupport<Object[]> getWriteSupport(Configuration configuration) {
            return new RowWriteSupport(columns);
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration configuration) {
            return new RowWriteSupport(columns);
        }
    }

    /**
     * The sink's stream as a Parquet output file. Parquet asks only for the position while it
     * writes (it never seeks back), so counting the bytes is enough; closing flushes and leaves
     * the stream below open for the sink to finish.
     */
    private static final class StreamFile implements OutputFile {
        private final OutputStream out;

        StreamFile(OutputStream out) {
            this.out = out;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new Counting(out);
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return new Counting(out);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return "phi-courier-object";
        }
    }

    private static final class Counting extends PositionOutputStream {
        private final OutputStream out;
        private long position;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            position += length;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
