package org.phicourier.s3.parquet.internal;

import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Refuses Parquet work while a parquet-java logger that writes record values is at DEBUG:
 * at that level parquet-java logs every value it writes or reads (the record consumer and the
 * column readers and writers do), which would put PHI into the logs.
 */
final class LogGuard {
    private static final List<String> VALUE_LOGGERS = List.of(
            "org.apache.parquet.io.MessageColumnIO",
            "org.apache.parquet.io.RecordConsumerLoggingWrapper",
            "org.apache.parquet.io.ValidatingRecordConsumer",
            "org.apache.parquet.io.RecordReaderImplementation",
            "org.apache.parquet.column.impl.ColumnWriterBase",
            "org.apache.parquet.column.impl.ColumnWriterV1",
            "org.apache.parquet.column.impl.ColumnWriterV2",
            "org.apache.parquet.column.impl.ColumnReaderBase",
            "org.apache.parquet.column.impl.ColumnReaderImpl");

    private LogGuard() {
    }

    /** Names the first value-logging logger that is at DEBUG or finer, if any. */
    static Optional<String> problem() {
        for (String name : VALUE_LOGGERS) {
            if (LoggerFactory.getLogger(name).isDebugEnabled()) {
                return Optional.of("logger " + name + " is at DEBUG, where parquet-java logs"
                        + " record values; set org.apache.parquet to INFO or coarser");
            }
        }
        return Optional.empty();
    }
}
