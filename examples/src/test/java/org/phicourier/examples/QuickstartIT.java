package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;

/** The README's first command: the packaged jar's quickstart, with nothing configured. */
class QuickstartIT {
    private static final Path JAR = Path.of("target", "phi-courier-examples.jar");

    @Test
    void quickstart_freshEnvironment_runsEndToEndAndStopsItsEmulator(@TempDir Path home)
            throws Exception {
        if (S3Emulator.findOnPath("moto_server").isEmpty()) {
            TestServices.unavailable("moto_server is not on the PATH");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(javaBinary(), "-jar",
                JAR.toAbsolutePath().toString(), "quickstart")).directory(home.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(out + err).isZero();
        assertThat(out).contains("500 synthetic patients", "key commitment and tag verified",
                "500 records, 0 plaintext SSNs found", "\"recordsWritten\":3500");
        assertThat(portOf(err)).satisfies(port -> assertThat(listening(port)).isFalse());
        assertThat(Files.list(home)).isEmpty();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int portOf(String err) {
        Matcher matcher = Pattern.compile("started moto_server at http://127.0.0.1:(\\d+)")
                .matcher(err);
        assertThat(matcher.find()).as(err).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
