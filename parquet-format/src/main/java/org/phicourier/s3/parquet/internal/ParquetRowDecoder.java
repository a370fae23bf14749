package org.phicourier.s3.parquet.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;
import org.phicourier.internal.RowJsonReader;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.Schema;
import org.phicourier.s3.spi.RecordFormat;

/**
 * Reads one decrypted Parquet object back into rows. Parquet reads the footer first and then
 * seeks, so the whole object is held in memory (never on disk), up to a limit.
 */
public final class ParquetRowDecoder implements RecordFormat.Decoder {
    private static final long NANOS = 1_000_000_000L;

    private final Columns columns;
    private final ParquetReader<Group> reader;
    private Optional<String> mismatch;

    private ParquetRowDecoder(Columns columns, ParquetReader<Group> reader,
            Optional<String> mismatch) {
        this.columns = columns;
        this.reader = reader;
        this.mismatch = mismatch;
    }

    /**
     * Reads the object into memory and opens it.
     *
     * @param content the decrypted object; closed here
     * @param schema the schema it was written with
     * @param maxBytes the most bytes held in memory
     * @return the decoder
     * @throws IOException when the content cannot be read
     * @throws ConfigurationException when the object is larger than the limit, or a
     *     parquet-java logger would log values
     * @throws IntegrityException when it is not a Parquet file
     */
    public static ParquetRowDecoder open(InputStream content, Schema schema, long maxBytes)
            throws IOException {
        Optional<String> logging = LogGuard.problem();
        if (logging.isPresent()) {
            content.close();
            throw new ConfigurationException("Parquet reading refused: " + logging.get());
        }
        byte[] file;
        try (InputStream in = content) {
            file = in.readNBytes((int) maxBytes + 1);
        }
        if (file.length > maxBytes) {
            throw new ConfigurationException("the Parquet object is larger than the "
                    + maxBytes + " bytes the reader holds in memory"
                    + " (ParquetFormat.Builder.maxReadBytes)");
        }
        Columns columns = Columns.of(schema);
        InputFile input = new MemoryFile(file);
        MessageType stored;
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(PageCodecs.INSTANCE).build();
        try (ParquetFileReader footer = ParquetFileReader.open(input, options)) {
            stored = footer.getFooter().getFileMetaData().getSchema();
        } catch (RuntimeException | IOException e) {
            throw new IntegrityException("not a readable Parquet file ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        ParquetReader<Group> reader = new GroupReader(input)
                .withCodecFactory(PageCodecs.INSTANCE).build();
        return new ParquetRowDecoder(columns, reader, mismatch(columns, stored));
    }

    /** Compares the stored columns with the schema's; the first difference, if any. */
    private static Optional<String> mismatch(Columns columns, MessageType stored) {
        for (Field field : columns.schema().fields()) {
            if (!stored.containsField(field.name())) {
                return Optional.of("field '" + field.name() + "' is missing");
            }
            Type actual = stored.getType(field.name());
            PrimitiveType expected = columns.message().getType(field.name()).asPrimitiveType();
            if (!actual.isPrimitive() || !sameType(actual.asPrimitiveType(), expected)) {
                return Optional.of("field '" + field.name() + "' is stored as "
                        + describe(actual) + " where the schema says " + field.type());
            }
        }
        return Optional.empty();
    }

    private static boolean sameType(PrimitiveType actual, PrimitiveType expected) {
        return actual.getPrimitiveTypeName() == expected.getPrimitiveTypeName()
                && actual.getTypeLength() == expected.getTypeLength()
                && java.util.Objects.equals(actual.getLogicalTypeAnnotation(),
                        expected.getLogicalTypeAnnotation());
    }

    private static String describe(Type type) {
        if (!type.isPrimitive()) {
            return "a group";
        }
        PrimitiveType primitive = type.asPrimitiveType();
        return primitive.getPrimitiveTypeName()
                + (primitive.getLogicalTypeAnnotation() == null ? ""
                        : " (" + primitive.getLogicalTypeAnnotation() + ")");
    }

    @Override
    public Optional<Row> next() throws IOException {
        if (mismatch.isPresent()) {
            throw new IntegrityException(mismatch.get());
        }
        Group group = reader.read();
        if (group == null) {
            return Optional.empty();
        }
        Schema schema = columns.schema();
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(schema.field(i), group);
        }
        return Optional.of(Row.of(schema, values));
    }

    private static Object value(Field field, Group group) throws IOException {
        String name = field.name();
        if (group.getFieldRepetitionCount(name) == 0) {
            return null;
        }
        return switch (field.type()) {
            case STRING -> group.getBinary(name, 0).toStringUsingUTF8();
            case INT32 -> group.getInteger(name, 0);
            case INT64 -> group.getLong(name, 0);
            case FLOAT32 -> group.getFloat(name, 0);
            case FLOAT64 -> group.getDouble(name, 0);
            case DECIMAL -> decimal(field, group);
            case BOOLEAN -> group.getBoolean(name, 0);
            case DATE -> LocalDate.ofEpochDay(group.getInteger(name, 0));
            case TIME -> LocalTime.ofNanoOfDay(group.getLong(name, 0));
            case TIMESTAMP -> LocalDateTime.ofInstant(instant(group.getLong(name, 0)),
                    ZoneOffset.UTC);
            case TIMESTAMP_TZ -> OffsetDateTime.ofInstant(instant(group.getLong(name, 0)),
                    offset(name, group));
            case BINARY -> group.getBinary(name, 0).getBytes();
            case JSON -> RowJsonReader.EXACT.readTree(group.getBinary(name, 0).getBytes());
        };
    }

    private static BigDecimal decimal(Field field, Group group) {
        byte[] bytes = group.getBinary(field.name(), 0).getBytes();
        if (!Columns.fixedDecimal(field)) {
            try {
                return new BigDecimal(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            } catch (NumberFormatException e) {
                throw new IntegrityException("field '" + field.name() + "' is not a decimal");
            }
        }
        return new BigDecimal(new BigInteger(bytes), field.scale().getAsInt());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
    }

    /** The stored offset; UTC for files of other writers, which have no offset column. */
    private static ZoneOffset offset(String name, Group group) {
        String column = name + Columns.OFFSET_SUFFIX;
        if (!group.getType().containsField(column)
                || group.getFieldRepetitionCount(column) == 0) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneOffset.ofTotalSeconds(group.getInteger(column, 0));
        } catch (java.time.DateTimeException e) {
            throw new IntegrityException("field '" + column + "' is not an offset");
        }
    }

    @Override
    public void close() throws IOException {
        mismatch = Optional.empty();
        reader.close();
    }

    @Override
    public String toString() {
        return "ParquetRowDecoder[" + columns.schema().size() + " fields]";
    }

    private static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(InputFile file) {
            super(file, new PlainParquetConfiguration());
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    /** A decrypted object held in memory as a seekable Parquet input. */
    private static final class MemoryFile implements InputFile {
        private final byte[] bytes;

        MemoryFile(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long getLength() {
            return bytes.length;
        }

        @Override
        public SeekableInputStream newStream() {
            return new Seekable(new ByteArrayInputStream(bytes), bytes.length);
        }
    }

    private static final class Seekable extends DelegatingSeekableInputStream {
        private final ByteArrayInputStream in;
        private final int length;

        Seekable(ByteArrayInputStream in, int length) {
            super(in);
            this.in = in;
            this.length = length;
        }

        @Override
        public long getPos() {
            return length - in.available();
        }

        @Override
        public void seek(long position) {
            in.reset();
            in.skip(position);
        }
    }
}
