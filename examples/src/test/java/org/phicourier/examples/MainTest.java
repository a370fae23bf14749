package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Command-line usage errors end with exit code 2 and say what to fix; nothing runs. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final String[] VALID = {"jdbc-to-s3", "--jdbc-url", "jdbc:h2:mem:x",
        "--tables", "t", "--bucket", "b", "--master-key-file", "k", "--keep-all"};

    private static String[] with(String... more) {
        String[] all = new String[VALID.length + more.length];
        System.arraycopy(VALID, 0, all, 0, VALID.length);
        System.arraycopy(more, 0, all, VALID.length, more.length);
        return all;
    }

    @Test
    void run_noArguments_printsUsageAndExits2() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("usage:", "jdbc-to-s3", "decrypt", "quickstart");
    }

    @Test
    void run_unknownCommand_exits2() {
        assertThat(run("s3-to-jdbc")).isEqualTo(2);
        assertThat(err()).contains("unknown command 's3-to-jdbc'");
    }

    @Test
    void jdbcToS3_unknownFlag_exits2NamingIt() {
        assertThat(run(with("--tabels", "x"))).isEqualTo(2);
        assertThat(err()).contains("unknown argument '--tabels'");
    }

    @Test
    void jdbcToS3_missingBucket_exits2() {
        assertThat(run("jdbc-to-s3", "--jdbc-url", "jdbc:h2:mem:x", "--tables", "t",
                "--master-key-file", "k", "--keep-all")).isEqualTo(2);
        assertThat(err()).contains("--bucket is required");
    }

    @Test
    void jdbcToS3_twoKeys_exits2() {
        assertThat(run(with("--kms-key-id", "alias/x"))).isEqualTo(2);
        assertThat(err()).contains("exactly one of --kms-key-id, --master-key-file");
    }

    @Test
    void jdbcToS3_neitherMaskingNorKeepAll_exits2() {
        assertThat(run("jdbc-to-s3", "--jdbc-url", "jdbc:h2:mem:x", "--tables", "t",
                "--bucket", "b", "--master-key-file", "k")).isEqualTo(2);
        assertThat(err()).contains("exactly one of --masking-config, --keep-all");
    }

    @Test
    void jdbcToS3_plainHttpEndpointOffLoopback_exits2() {
        assertThat(run(with("--endpoint", "http://10.20.30.40:9000"))).isEqualTo(2);
        assertThat(err()).contains("plain HTTP on a non-loopback address");
    }

    @Test
    void jdbcToS3_passwordVariableUnset_exits2WithoutReadingAnything() {
        assertThat(run(with("--password-env", "PHI_COURIER_TEST_UNSET_VARIABLE"))).isEqualTo(2);
        assertThat(err()).contains("PHI_COURIER_TEST_UNSET_VARIABLE, which is not set");
    }

    @Test
    void decrypt_missingKey_exits2() {
        assertThat(run("decrypt", "--bucket", "b", "--kms-key-id", "k")).isEqualTo(2);
        assertThat(err()).contains("--key is required");
    }

    @Test
    void quickstart_badPatientCount_exits2() {
        assertThat(run("quickstart", "--patients", "many")).isEqualTo(2);
        assertThat(err()).contains("--patients must be a number");
    }
}
