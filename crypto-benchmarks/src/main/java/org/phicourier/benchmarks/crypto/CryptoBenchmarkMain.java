package org.phicourier.benchmarks.crypto;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link EnvelopeCryptoBenchmark} once and prints a Markdown table of MB/s and of each
 * figure as a ratio to plain JCE AES-GCM over the same bytes (the faster JCE variant, the limit),
 * measured in that one run.
 */
public final class CryptoBenchmarkMain {
    private CryptoBenchmarkMain() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     * @throws RunnerException when JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(EnvelopeCryptoBenchmark.class.getSimpleName()).build()).run();
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            int mebibytes = Integer.parseInt(result.getParams().getParam("mebibytes"));
            double opsPerSecond = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            double megabytes = mebibytes * 1.048576;
            rows.put(name.substring(name.lastIndexOf('.') + 1),
                    new double[] {opsPerSecond * megabytes, error * megabytes});
        }
        print(rows);
    }

    private static void print(Map<String, double[]> rows) {
        double encryptLimit = Math.max(rows.get("jceEncryptOneCall")[0],
                rows.get("jceEncryptPieces")[0]);
        double decryptLimit = Math.max(rows.get("jceDecryptOneCall")[0],
                rows.get("jceDecryptPieces")[0]);
        System.out.println("| benchmark | MB/s | +- | limit / this |");
        System.out.println("|---|---:|---:|---:|");
        rows.forEach((name, figures) -> {
            double limit = name.contains("Encrypt") ? encryptLimit : decryptLimit;
            System.out.printf("| %s | %.0f | %.0f | %.2fx |%n", name, figures[0], figures[1],
                    limit / figures[0]);
        });
    }
}
