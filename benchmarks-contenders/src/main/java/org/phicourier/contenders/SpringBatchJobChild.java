package org.phicourier.contenders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.batch.infrastructure.item.file.FlatFileItemWriter;
import org.springframework.batch.infrastructure.item.file.builder.FlatFileItemWriterBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The table as a Spring Batch 6 job would move it, with no masking and no encryption: a
 * chunk-oriented step reads it with a {@code JdbcCursorItemReader} (a server-side cursor, so
 * fetch size and auto-commit off) and writes JSON Lines to a local file with a
 * {@code FlatFileItemWriter}; a tasklet step then gzips the file and uploads it with the AWS SDK.
 * Runs in a JVM of its own and prints one line of figures.
 */
public final class SpringBatchJobChild {
    private static final int CHUNK = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpringBatchJobChild() {
    }

    /**
     * Runs the job once.
     *
     * @param args see {@link ChildArgs}
     * @throws Exception when the job fails
     */
    public static void main(String[] args) throws Exception {
        ChildArgs in = ChildArgs.parse(args);
        Path lines = Files.createTempFile("spring-batch-", ".jsonl");
        Path gzip = Path.of(lines + ".gz");
        try (S3Client s3 = in.s3Client()) {
            JobRepository repository = new ResourcelessJobRepository();
            TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
            operator.setJobRepository(repository);
            operator.setJobRegistry(new MapJobRegistry());
            operator.afterPropertiesSet();
            long start = System.nanoTime();
            JobExecution run = operator.start(job(in, repository, lines, gzip, s3),
                    new JobParameters());
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (run.getStatus() != BatchStatus.COMPLETED) {
                throw new IllegalStateException("job ended " + run.getStatus());
            }
            long rows = run.getStepExecutions().iterator().next().getWriteCount();
            ChildArgs.report(rows, millis, Files.size(gzip));
        } finally {
            Files.deleteIfExists(lines);
            Files.deleteIfExists(gzip);
        }
    }

    private static Job job(ChildArgs in, JobRepository repository, Path lines, Path gzip,
            S3Client s3) {
        Step extract = new StepBuilder("extract", repository)
                .<Map<String, Object>, Map<String, Object>>chunk(CHUNK)
                .transactionManager(new ResourcelessTransactionManager())
                .reader(reader(in)).writer(writer(lines)).build();
        Step upload = new StepBuilder("upload", repository).tasklet((contribution, context) -> {
            gzip(lines, gzip);
            s3.putObject(put -> put.bucket(in.bucket()).key(in.prefix() + "/part-0.jsonl.gz"),
                    RequestBody.fromFile(gzip));
            return RepeatStatus.FINISHED;
        }, new ResourcelessTransactionManager()).build();
        return new JobBuilder("table-to-s3", repository).start(extract).next(upload).build();
    }

    private static JdbcCursorItemReader<Map<String, Object>> reader(ChildArgs in) {
        return new JdbcCursorItemReaderBuilder<Map<String, Object>>().name("table")
                .dataSource(in.dataSource()).sql("SELECT * FROM " + in.table())
                .rowMapper(new ColumnMapRowMapper()).fetchSize(CHUNK)
                .connectionAutoCommit(false).saveState(false).build();
    }

    private static FlatFileItemWriter<Map<String, Object>> writer(Path lines) {
        return new FlatFileItemWriterBuilder<Map<String, Object>>().name("jsonLines")
                .resource(new FileSystemResource(lines)).lineAggregator(row -> {
                    try {
                        return JSON.writeValueAsString(row);
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                }).saveState(false).build();
    }

    private static void gzip(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from);
                OutputStream out = new GZIPOutputStream(Files.newOutputStream(to), 1 << 16)) {
            in.transferTo(out);
        }
    }
}
