package org.phicourier.benchmarks.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.crypto.internal.ContentMetadata;
import org.phicourier.crypto.internal.DecryptingInputStream;
import org.phicourier.crypto.internal.DirectCiphertextSink;
import org.phicourier.crypto.internal.EncryptingOutputStream;
import org.phicourier.crypto.internal.EnvelopeDecryption;
import org.phicourier.crypto.internal.EnvelopeEncryption;
import org.phicourier.crypto.internal.ReadPolicy;

/**
 * Encryption and decryption throughput over the same bytes: plain JCE AES-256-GCM in one call
 * and in 2 KiB updates (the faster of the two is the limit; on JDK 17 long calls stay in the
 * JDK's Java GHASH instead of its intrinsic), PHI Courier's encryption stage (a new V3 envelope,
 * then the bytes written in 64 KiB pieces through the encrypting stream, as the sink's
 * compression stage writes them), and its decryption (one streaming pass, and the verified
 * reader's two passes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EnvelopeCryptoBenchmark {
    private static final int PIECE = 64 * 1024;
    private static final int JCE_PIECE = 2 * 1024;

    /** Object size in MiB. */
    @Param({"16"})
    public int mebibytes;

    private byte[] plaintext;
    private byte[] output;
    private SecretKeySpec jceKey;
    private long ivCounter;
    private byte[] jceCiphertext;
    private byte[] jceIv;
    private LocalAesKeyring keyring;
    private ContentMetadata envelope;
    private byte[] ourCiphertext;

    /** Prepares the bytes, the keys and one ciphertext of each kind. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        plaintext = new byte[mebibytes << 20];
        new Random(1).nextBytes(plaintext);
        output = new byte[plaintext.length + 16];
        byte[] key = new byte[32];
        new Random(2).nextBytes(key);
        jceKey = new SecretKeySpec(key, "AES");
        jceIv = nextIv();
        jceCiphertext = jce(Cipher.ENCRYPT_MODE, jceIv).doFinal(plaintext);
        keyring = LocalAesKeyring.of(key);
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(keyring, Map.of());
        ByteArrayOutput sink = new ByteArrayOutput(output);
        try (EncryptingOutputStream out = new EncryptingOutputStream(sink, encryption.cipher())) {
            writeInPieces(out);
        }
        ourCiphertext = output.clone();
        envelope = ContentMetadata.parse("bench", encryption.metadata(),
                java.util.Optional.empty());
    }

    /** Plain JCE AES-GCM over the whole buffer in one call, with a fresh IV. */
    @Benchmark
    public int jceEncryptOneCall() throws GeneralSecurityException {
        return jce(Cipher.ENCRYPT_MODE, nextIv()).doFinal(plaintext, 0, plaintext.length, output);
    }

    /** Plain JCE AES-GCM fed in 2 KiB updates, with a fresh IV. */
    @Benchmark
    public int jceEncryptPieces() throws GeneralSecurityException {
        Cipher cipher = jce(Cipher.ENCRYPT_MODE, nextIv());
        int produced = 0;
        for (int offset = 0; offset < plaintext.length; offset += JCE_PIECE) {
            produced += cipher.update(plaintext, offset, Math.min(JCE_PIECE,
                    plaintext.length - offset), output, produced);
        }
        return produced + cipher.doFinal(output, produced);
    }

    /** PHI Courier's encryption stage: a new envelope, then streaming in 64 KiB pieces. */
    @Benchmark
    public long ourEncrypt() throws IOException {
        EnvelopeEncryption encryption = EnvelopeEncryption.begin(keyring, Map.of());
        ByteArrayOutput sink = new ByteArrayOutput(output);
        try (EncryptingOutputStream out = new EncryptingOutputStream(sink, encryption.cipher())) {
            writeInPieces(out);
        }
        return sink.position;
    }

    /** Plain JCE AES-GCM decryption of the whole ciphertext in one call. */
    @Benchmark
    public int jceDecryptOneCall() throws GeneralSecurityException {
        return jce(Cipher.DECRYPT_MODE, jceIv).doFinal(jceCiphertext, 0, jceCiphertext.length,
                output);
    }

    /** Plain JCE AES-GCM decryption fed in 2 KiB updates (JCE holds it all until the end). */
    @Benchmark
    public int jceDecryptPieces() throws GeneralSecurityException {
        Cipher cipher = jce(Cipher.DECRYPT_MODE, jceIv);
        int produced = 0;
        for (int offset = 0; offset < jceCiphertext.length; offset += JCE_PIECE) {
            produced += cipher.update(jceCiphertext, offset, Math.min(JCE_PIECE,
                    jceCiphertext.length - offset), output, produced);
        }
        return produced + cipher.doFinal(output, produced);
    }

    /** One streaming pass (delayed authentication): Bouncy Castle GCM, 64 KiB reads. */
    @Benchmark
    public long ourDecryptOnePass(Blackhole hole) throws IOException {
        return drain(hole);
    }

    /** The verified reader: a verifying pass releasing nothing, then the decrypting pass. */
    @Benchmark
    public long ourDecryptVerified(Blackhole hole) throws IOException {
        EnvelopeDecryption decryption = EnvelopeDecryption.open(envelope, keyring, Map.of(),
                ReadPolicy.STRICT);
        DecryptingInputStream.verify(new ByteArrayInputStream(ourCiphertext),
                decryption.newCipher(), "bench");
        decryption.destroy();
        return drain(hole);
    }

    private long drain(Blackhole hole) throws IOException {
        EnvelopeDecryption decryption = EnvelopeDecryption.open(envelope, keyring, Map.of(),
                ReadPolicy.STRICT);
        long total = 0;
        byte[] buffer = new byte[PIECE];
        try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(ourCiphertext),
                decryption.newCipher(), "bench")) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        } finally {
            decryption.destroy();
        }
        hole.consume(buffer);
        return total;
    }

    private void writeInPieces(OutputStream out) throws IOException {
        for (int offset = 0; offset < plaintext.length; offset += PIECE) {
            out.write(plaintext, offset, Math.min(PIECE, plaintext.length - offset));
        }
    }

    private Cipher jce(int mode, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, jceKey, new GCMParameterSpec(128, iv));
        return cipher;
    }

    private byte[] nextIv() {
        return ByteBuffer.allocate(12).putLong(4, ++ivCounter).array();
    }

    /**
     * Takes ciphertext into a preallocated array, the cipher writing straight into it as into
     * the sink's part buffers.
     */
    private static final class ByteArrayOutput extends OutputStream
            implements DirectCiphertextSink {
        private final byte[] target;
        private int position;

        ByteArrayOutput(byte[] target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            target[position++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            System.arraycopy(bytes, offset, target, position, length);
            position += length;
        }

        @Override
        public void encrypt(Cipher cipher, byte[] plaintext, int offset, int length)
                throws GeneralSecurityException {
            position += cipher.update(plaintext, offset, length, target, position);
        }
    }
}
