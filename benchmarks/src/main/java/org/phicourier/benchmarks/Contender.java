package org.phicourier.benchmarks;

import java.util.Arrays;

/** Everything the benchmark times on a table, each in a process of its own. */
enum Contender {
    /** {@code psql \copy ... to stdout | gzip -1 | aws s3 cp -}: no masking, no encryption. */
    SCRIPT("script", "hand script, gzip -1"),
    /** An Apache Camel route to gzip JSON Lines: no masking, no encryption. */
    CAMEL("camel", "Camel route"),
    /** A Spring Batch job to gzip JSON Lines: no masking, no encryption. */
    SPRING_BATCH("spring-batch", "Spring Batch job"),
    /** PHI Courier: Safe Harbor de-identification, compression, envelope encryption. */
    PHI_COURIER("phi-courier", "PHI Courier, Safe Harbor + encrypted"),
    /** PHI Courier with masking off: compression and envelope encryption only. */
    PHI_COURIER_UNMASKED("phi-courier-unmasked", "PHI Courier, masking off, encrypted"),
    /** The read limit: {@code COPY ... TO STDOUT} into /dev/null. */
    COPY_LIMIT("copy-limit", "COPY to /dev/null (read limit)");

    private final String key;
    private final String label;

    Contender(String key, String label) {
        this.key = key;
        this.label = label;
    }

    String key() {
        return key;
    }

    String label() {
        return label;
    }

    boolean isPeer() {
        return this == CAMEL || this == SPRING_BATCH;
    }

    static Contender of(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown contender " + key
                        + "; known: " + Arrays.stream(values()).map(Contender::key).toList()));
    }
}
