package org.phicourier.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts each contender in a process of its own, against the same table and emulator, and
 * times it from start to exit. Dummy credentials for the emulator are set only in the child's
 * environment.
 */
final class Runner {
    static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java")
            .toString();

    private final Options options;
    private final String endpoint;
    private final String bucket;
    private final String kmsKey;
    private final String ownClasspath;
    private final String peerClasspath;
    private int sequence;

    Runner(Options options, String endpoint, String bucket, String kmsKey) throws IOException {
        this.options = options;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.kmsKey = kmsKey;
        this.ownClasspath = classpath("benchmarks");
        this.peerClasspath = classpath("benchmarks-contenders");
    }

    private static String classpath(String module) throws IOException {
        return Path.of(module, "target/classes").toAbsolutePath() + ":"
                + Files.readString(Path.of(module, "target/classpath.txt")).strip();
    }

    Run run(Contender contender, Target target) throws Exception {
        String prefix = contender.key() + "/" + target.label() + "/" + (sequence++);
        return switch (contender) {
            case SCRIPT -> shell(script(target, prefix));
            case COPY_LIMIT -> shell(psqlCopy(target) + " > /dev/null");
            case CAMEL -> java(options.peerXmx(), peerClasspath,
                    "org.phicourier.contenders.CamelRouteChild", peerArgs(target, prefix),
                    target.rows());
            case SPRING_BATCH -> java(options.peerXmx(), peerClasspath,
                    "org.phicourier.contenders.SpringBatchJobChild", peerArgs(target, prefix),
                    target.rows());
            case PHI_COURIER -> phiCourier(target, prefix, "safe-harbor");
            case PHI_COURIER_UNMASKED -> phiCourier(target, prefix, "none");
        };
    }

    private Run phiCourier(Target target, String prefix, String masking) throws Exception {
        return java(options.xmx(), ownClasspath, PipelineChild.class.getName(), List.of(JDBC_URL,
                USER, target.table(), bucket, endpoint, kmsKey, prefix, masking,
                options.compression(), Integer.toString(options.transformThreads())),
                target.rows());
    }

    private List<String> peerArgs(Target target, String prefix) {
        return List.of(JDBC_URL, USER, target.table(), bucket, endpoint, prefix);
    }

    static String psqlCopy(Target target) {
        return "psql -X -q -h 127.0.0.1 -p 5432 -U " + USER + " -d test -c '\\copy "
                + target.table() + " to stdout'";
    }

    private String script(Target target, String prefix) {
        return psqlCopy(target) + " | gzip -1 | aws s3 cp - s3://" + bucket + "/" + prefix
                + ".tsv.gz --endpoint-url " + endpoint;
    }

    private Run shell(String script) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -o pipefail; " + script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        credentials(builder.environment());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("failed: " + script);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Run(millis, millis, 0, 0, 0, "", 0, 0);
    }

    private Run java(String xmx, String classpath, String main, List<String> args,
            long expectedRows) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx" + xmx, "-cp", classpath,
                main));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        credentials(builder.environment());
        long start = System.nanoTime();
        Process child = builder.start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (child.waitFor() != 0) {
            throw new IllegalStateException(main + " failed: " + out);
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        JsonNode figures = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        if (figures.get("rows").asLong() != expectedRows) {
            throw new IllegalStateException(main + " moved " + figures.get("rows") + " rows, not "
                    + expectedRows);
        }
        return new Run(wall, figures.get("millis").asLong(), figures.get("bytes").asLong(),
                figures.path("peakUsed").asLong(), figures.path("peakAfterGc").asLong(),
                figures.path("compression").asText("gzip-1"),
                figures.path("setupMillis").asLong(), figures.path("firstBatchMillis").asLong());
    }

    private static void credentials(Map<String, String> environment) {
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
    }
}
