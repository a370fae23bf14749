package org.phicourier.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-byte limits of the stages PHI Courier adds, measured on the same machine in the same
 * run over a sample of a table's {@code COPY} text held in memory: AES-256-GCM with the JDK's
 * JCE on one thread, and the {@code zstd -1} and {@code gzip -1} command-line tools fed from
 * memory (their process start-up is included, a few milliseconds against a 64 MiB sample).
 */
final class ByteLimits {
    private static final int SAMPLE = 64 << 20;

    private final byte[] sample;

    private ByteLimits(byte[] sample) {
        this.sample = sample;
    }

    /** Reads up to 64 MiB of the table's COPY text. */
    static ByteLimits sample(Target target) throws Exception {
        Process psql = new ProcessBuilder("bash", "-c", Runner.psqlCopy(target))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream(SAMPLE);
        try (InputStream in = psql.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; out.size() < SAMPLE && (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, Math.min(n, SAMPLE - out.size()));
            }
        }
        psql.destroy();
        psql.waitFor();
        return new ByteLimits(out.toByteArray());
    }

    int size() {
        return sample.length;
    }

    /**
     * Median MB/s of AES-256-GCM encryption, each measurement over at least 64 MiB (the sample
     * encrypted as often as needed), after as much again to warm the JIT and its intrinsics.
     */
    double aesGcm(int repeats) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        int passes = Math.max(1, (64 << 20) / Math.max(1, sample.length));
        encrypt(key, passes);
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            nanos.add(encrypt(key, passes) / passes);
        }
        return megabytesPerSecond(nanos);
    }

    private long encrypt(byte[] key, int passes) throws Exception {
        byte[] iv = new byte[12];
        long start = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            iv[0] = (byte) pass;
            iv[1] = (byte) (pass >> 8);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(128, iv));
            cipher.doFinal(sample);
        }
        return System.nanoTime() - start;
    }

    /** Median MB/s of a command-line compressor reading the sample from its standard input. */
    double tool(int repeats, String... command) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            Process tool = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long start = System.nanoTime();
            try (OutputStream in = tool.getOutputStream()) {
                in.write(sample);
            }
            if (tool.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
            nanos.add(System.nanoTime() - start);
        }
        return megabytesPerSecond(nanos);
    }

    private double megabytesPerSecond(List<Long> nanos) {
        long median = nanos.stream().sorted().toList().get(nanos.size() / 2);
        return sample.length / 1e6 / (median / 1e9);
    }
}
