package org.phicourier.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.s3.IntegrityChecksum;

class ChecksumsTest {
    @Test
    void of_crc32cOfTheStandardCheckString_isE3069283() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        assertThat(HexFormat.of().formatHex(Checksums.of(IntegrityChecksum.CRC32C, check,
                check.length))).isEqualTo("e3069283");
    }

    @Test
    void composite_sha256OfTwoParts_matchesWhatS3Computes() {
        // Value S3 (and the emulator) report for parts of 5 MiB 'a' and 100 bytes 'b'.
        byte[] first = new byte[5 * 1024 * 1024];
        Arrays.fill(first, (byte) 'a');
        byte[] second = new byte[100];
        Arrays.fill(second, (byte) 'b');

        String composite = Checksums.composite(IntegrityChecksum.SHA256, List.of(
                Checksums.of(IntegrityChecksum.SHA256, first, first.length),
                Checksums.of(IntegrityChecksum.SHA256, second, second.length)));

        assertThat(composite).isEqualTo("7n1ZEEGpZyRgQtPvGMqYL80UbaFJA89T+2OobG6XQAs=-2");
    }
}
