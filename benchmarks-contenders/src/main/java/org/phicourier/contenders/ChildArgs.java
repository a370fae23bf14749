package org.phicourier.contenders;

import java.net.URI;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What every contender gets from the benchmark, in the same order: JDBC URL, user, table,
 * bucket, S3 endpoint, object key prefix. Credentials come from the child's environment.
 */
record ChildArgs(String jdbcUrl, String user, String table, String bucket, URI endpoint,
        String prefix) {

    static ChildArgs parse(String[] args) {
        if (args.length != 6) {
            throw new IllegalArgumentException("expected: jdbcUrl user table bucket endpoint"
                    + " prefix");
        }
        return new ChildArgs(args[0], args[1], args[2], args[3], URI.create(args[4]), args[5]);
    }

    DataSource dataSource() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(jdbcUrl);
        source.setUser(user);
        return source;
    }

    /** An S3 client as an AWS user would build one, pointed at the emulator. */
    S3Client s3Client() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .forcePathStyle(true).build();
    }

    /** Prints the one line of figures the benchmark reads. */
    static void report(long rows, long millis, long bytes) {
        System.out.printf("{\"rows\":%d,\"millis\":%d,\"bytes\":%d}%n", rows, millis, bytes);
    }
}
