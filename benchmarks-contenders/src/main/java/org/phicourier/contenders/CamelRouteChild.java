package org.phicourier.contenders;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The table as an Apache Camel 4 route would move it, with no masking and no encryption: the
 * JDBC component streams the result set, the splitter hands on one row at a time, Jackson writes
 * each as a JSON line, the aggregator gathers batches of lines, and each batch is gzipped and
 * put to S3 by the aws2-s3 component. Runs in a JVM of its own and prints one line of figures.
 */
public final class CamelRouteChild {
    private static final int ROWS_PER_OBJECT = 100_000;
    private static final String LAST = "lastBatch";
    private static final String LINES = "batchLines";

    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong uploadedRows = new AtomicLong();

    private CamelRouteChild() {
    }

    /**
     * Runs the route once.
     *
     * @param args see {@link ChildArgs}
     * @throws Exception when the route fails
     */
    public static void main(String[] args) throws Exception {
        ChildArgs in = ChildArgs.parse(args);
        CamelRouteChild child = new CamelRouteChild();
        CamelContext camel = new DefaultCamelContext();
        try (S3Client s3 = in.s3Client()) {
            camel.getRegistry().bind("dataSource", cursorFriendly(in));
            camel.getRegistry().bind("s3", s3);
            camel.addRoutes(child.route(in));
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            long start = System.nanoTime();
            template.requestBody("direct:extract", "SELECT * FROM " + in.table());
            child.awaitUploads();
            long millis = (System.nanoTime() - start) / 1_000_000;
            ChildArgs.report(child.rows.get(), millis, child.bytes.get());
            awaitQuiet(camel);
        } finally {
            camel.stop();
        }
    }

    /**
     * PostgreSQL streams a result set only inside a transaction; otherwise the driver loads it
     * whole. camel-jdbc would commit right after the query and close the cursor, so the route
     * keeps auto-commit off on a connection of its own.
     */
    private static DataSource cursorFriendly(ChildArgs in) {
        SingleConnectionDataSource source = new SingleConnectionDataSource(in.jdbcUrl(),
                in.user(), "", true);
        source.setAutoCommit(false);
        return source;
    }

    private RouteBuilder route(ChildArgs in) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extract")
                        .to("jdbc:dataSource?outputType=StreamList&statement.fetchSize=5000"
                                + "&resetAutoCommit=false")
                        .split(body()).streaming()
                            .marshal().json()
                            .convertBodyTo(String.class)
                            .aggregate(constant(true), CamelRouteChild.this::lines)
                                .completionSize(ROWS_PER_OBJECT)
                                .completionPredicate(exchangeProperty(LAST).isEqualTo(true))
                                .process(exchange -> gzip(exchange, in.prefix()))
                                .to("aws2-s3://" + in.bucket() + "?amazonS3Client=#s3"
                                        + "&autoCreateBucket=false")
                                .process(exchange -> uploadedRows.addAndGet(
                                        exchange.getProperty(LINES, Long.class)))
                            .end()
                        .end();
            }
        };
    }

    /**
     * The aggregator hands completed batches to a thread of its own, so the request returns
     * once every row is aggregated; the run is over when every row is in S3.
     */
    private void awaitUploads() throws InterruptedException {
        while (uploadedRows.get() < rows.get()) {
            Thread.sleep(1);
        }
    }

    /**
     * The last aggregated exchange is still finishing on the aggregator's thread for a moment;
     * stopping before it is done would make the graceful shutdown wait a second or more.
     */
    private static void awaitQuiet(CamelContext camel) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (camel.getInflightRepository().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /** Appends a row's JSON line to its batch, and marks the batch that holds the last row. */
    private Exchange lines(Exchange batch, Exchange row) {
        rows.incrementAndGet();
        String line = row.getIn().getBody(String.class);
        boolean last = Boolean.TRUE.equals(row.getProperty(Exchange.SPLIT_COMPLETE));
        if (batch == null) {
            row.getIn().setBody(new StringBuilder(line).append('\n'));
            row.setProperty(LAST, last);
            row.setProperty(LINES, 1L);
            return row;
        }
        batch.getIn().getBody(StringBuilder.class).append(line).append('\n');
        batch.setProperty(LAST, last);
        batch.setProperty(LINES, batch.getProperty(LINES, Long.class) + 1);
        return batch;
    }

    private void gzip(Exchange exchange, String prefix) throws IOException {
        byte[] text = exchange.getIn().getBody(StringBuilder.class).toString()
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 4);
        try (GZIPOutputStream gzip = new FastGzip(out)) {
            gzip.write(text);
        }
        bytes.addAndGet(out.size());
        exchange.getIn().setBody(out.toByteArray());
        exchange.getIn().setHeader("CamelAwsS3Key", prefix + "/part-"
                + objects.getAndIncrement() + ".jsonl.gz");
        exchange.getIn().setHeader("CamelAwsS3ContentLength", (long) out.size());
    }

    /** gzip at level 1, the level the hand script and PHI Courier use. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
