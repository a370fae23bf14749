package org.phicourier.s3;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.phicourier.crypto.LocalAesKeyring;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Run in a child JVM with a small heap by {@link LargeObjectIT}: reads one object through the
 * verifying reader and prints its plaintext length, its SHA-256 and the heap limit it ran with.
 * Arguments: endpoint, bucket, key, master key file.
 */
public final class LargeObjectReadChild {
    private LargeObjectReadChild() {
    }

    /**
     * Reads the object.
     *
     * @param args endpoint, bucket, key, master key file
     * @throws Exception when anything fails; the parent sees the exit code
     */
    public static void main(String[] args) throws Exception {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(() -> AwsBasicCredentials.create("test", "test"))
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
                LocalAesKeyring keyring = LocalAesKeyring.fromFile(Path.of(args[3]))) {
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                    .allowPlainHttp(true).build();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long length = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = reader.openContent(args[1], args[2])) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    sha.update(buffer, 0, n);
                    length += n;
                }
            }
            System.out.println(length + " " + HexFormat.of().formatHex(sha.digest()) + " "
                    + Runtime.getRuntime().maxMemory());
        }
    }
}
