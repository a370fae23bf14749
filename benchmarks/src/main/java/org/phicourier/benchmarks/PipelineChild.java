package org.phicourier.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.deid.DeidKeys;
import org.phicourier.deid.Deidentifier;
import org.phicourier.deid.Preset;
import org.phicourier.jdbc.JdbcSource;
import org.phicourier.metrics.RunListener;
import org.phicourier.s3.Compression;
import org.phicourier.s3.KmsKeyring;
import org.phicourier.s3.S3Sink;
import org.phicourier.testing.S3Emulator;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One PHI Courier run in a JVM of its own, so that its heap can be capped and measured: reads a
 * benchmark table, de-identifies it with the Safe Harbor preset (or not at all), compresses it,
 * encrypts it under a KMS key and writes it to the emulator, then prints one line of figures.
 */
public final class PipelineChild {
    private static final AtomicLong PEAK_USED = new AtomicLong();
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans()
            .stream().filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    private PipelineChild() {
    }

    /**
     * Runs once.
     *
     * @param args JDBC URL, user, table, bucket, emulator endpoint, KMS key id, object prefix,
     *     masking ({@code safe-harbor} or {@code none}), compression ({@code zstd} or
     *     {@code gzip}), transform threads (0 for the library's default)
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        watchHeap();
        S3Emulator emulator = S3Emulator.attach(URI.create(args[4]));
        try (S3Client s3 = emulator.s3Client(); KmsClient kms = emulator.kmsClient()) {
            S3Sink.Builder sink = S3Sink.builder().s3Client(s3).bucket(args[3]).prefix(args[6])
                    .keyring(KmsKeyring.builder().kmsClient(kms).keyId(args[5]).build())
                    .allowPlainHttp(true);
            boolean zstd = "zstd".equals(args[8]);
            sink.compression(zstd ? Compression.ZSTD : Compression.GZIP);
            String compression = zstd ? "zstd" : "gzip-1";
            Pipeline.Builder pipeline = Pipeline.from(JdbcSource.builder().jdbcUrl(args[0])
                    .user(args[1]).table(args[2]).fetchSize(5000).build());
            if ("safe-harbor".equals(args[7])) {
                pipeline.through(safeHarbor());
            }
            int transformThreads = Integer.parseInt(args[9]);
            if (transformThreads > 0) {
                pipeline.transformThreads(transformThreads);
            }
            AtomicLong firstBatch = new AtomicLong();
            pipeline.listener(new RunListener() {
                @Override
                public void onBatch(String stream, int read, int written) {
                    firstBatch.compareAndSet(0, System.nanoTime());
                }
            });
            Pipeline run = pipeline.to(sink.build()).build();
            long setup = ManagementFactory.getRuntimeMXBean().getUptime();
            long start = System.nanoTime();
            RunReport report = run.run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("{\"rows\":%d,\"millis\":%d,\"bytes\":%d,\"peakUsed\":%d,"
                    + "\"peakAfterGc\":%d,\"compression\":\"%s\",\"setupMillis\":%d,"
                    + "\"firstBatchMillis\":%d}%n", report.recordsWritten(), millis,
                    report.streams().get(0).bytesWritten(), PEAK_USED.get(), PEAK_AFTER_GC.get(),
                    compression, setup, (firstBatch.get() - start) / 1_000_000);
        }
    }

    private static Deidentifier safeHarbor() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Deidentifier.builder().preset(Preset.safeHarbor()).keys(DeidKeys.of(secret))
                .build();
    }

    /** Samples heap use and records the live heap after every collection. */
    private static void watchHeap() {
        Thread sampler = new Thread(() -> {
            while (true) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                PEAK_USED.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long live = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> HEAP_POOLS.contains(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed()).sum();
                PEAK_AFTER_GC.accumulateAndGet(live, Math::max);
            }, null, null);
        }
    }
}
