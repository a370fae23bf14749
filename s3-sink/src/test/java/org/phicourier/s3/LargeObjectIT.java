package org.phicourier.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A 1 GiB object, far larger than the heap, decrypts through the verifying two-pass reader in a
 * child JVM started with {@code -Xmx128m}: the whole plaintext comes back (same length and
 * SHA-256), so neither pass holds the object in memory.
 */
class LargeObjectIT {
    private static final long SIZE = 1L << 30;
    private static final int CHUNK = 1 << 20;

    @Test
    void openContent_oneGibObject_decryptsInAChildJvmWith128MibHeap(@TempDir Path dir)
            throws Exception {
        S3Emulator emulator = TestServices.emulator();
        String bucket = emulator.createBucket("large");
        byte[] master = new byte[32];
        new SplittableRandom(3).nextBytes(master);
        String digest;
        try (S3Client s3 = patientClient(emulator)) {
            digest = write(s3, bucket, LocalAesKeyring.of(master));
        }
        Path keyFile = keyFile(dir, master);

        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(javaBin(), "-Xmx128m",
                "-Dlogback.configurationFile=phi-courier-test-logback.xml", "-cp",
                System.getProperty("java.class.path"), LargeObjectReadChild.class.getName(),
                emulator.endpoint().toString(), bucket, "large/object.bin", keyFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(child.waitFor(20, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(child.exitValue()).as(output).isZero();
        String[] result = output.strip().lines().reduce((a, b) -> b).orElse("").split(" ");
        assertThat(Long.parseLong(result[0])).isEqualTo(SIZE);
        assertThat(result[1]).isEqualTo(digest);
        assertThat(Long.parseLong(result[2])).isLessThanOrEqualTo(128L << 20);
    }

    /** Streams 1 GiB of pseudo-random bytes into the writer; returns their SHA-256. */
    private static String write(S3Client s3, String bucket, LocalAesKeyring keyring)
            throws IOException, NoSuchAlgorithmException {
        S3ObjectWriter writer = S3ObjectWriter.builder().s3Client(s3).keyring(keyring)
                .partSize(16 << 20).uploadConcurrency(2).allowPlainHttp(true).build();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(7);
        byte[] chunk = new byte[CHUNK];
        try (S3ObjectOutput out = writer.openObject(bucket, "large/object.bin")) {
            for (long written = 0; written < SIZE; written += CHUNK) {
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
            out.complete();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The emulator's client with a socket timeout long enough for it to assemble 1 GiB. */
    private static S3Client patientClient(S3Emulator emulator) {
        return S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(() -> AwsBasicCredentials.create("test", "test"))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(Duration.ofMinutes(5)))
                .build();
    }

    private static Path keyFile(Path dir, byte[] master) throws IOException {
        Path file = dir.resolve("master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(master));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
