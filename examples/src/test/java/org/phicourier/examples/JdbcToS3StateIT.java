package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestDatabase;
import org.phicourier.testing.TestServices;

/** The state flags of {@code jdbc-to-s3}: usage errors, resuming, and bad state or cursors. */
class JdbcToS3StateIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private S3Emulator emulator;
    private String bucket;
    private TestDatabase.Scratch scratch;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        emulator = TestServices.emulator();
        bucket = emulator.createBucket("state-flags");
        scratch = TestServices.postgres().createScratch();
        scratch.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, updated_at TIMESTAMP NOT NULL,"
                + " loose TIMESTAMP, note TEXT NOT NULL)",
                "INSERT INTO items VALUES (1, '2026-01-01', NULL, 'Nakamura'),"
                        + " (2, '2026-01-02', NULL, 'Oyelaran')");
        Files.writeString(dir.resolve("master.key"),
                Base64.getEncoder().encodeToString(new byte[32]));
    }

    @AfterEach
    void tearDown() throws Exception {
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                .doesNotContain("Nakamura").doesNotContain("Oyelaran");
        scratch.close();
    }

    private int run(String... more) {
        List<String> args = new ArrayList<>(List.of("jdbc-to-s3", "--jdbc-url", scratch.url(),
                "--user", scratch.user(), "--tables", "items", "--bucket", bucket,
                "--endpoint", emulator.endpoint().toString(), "--master-key-file",
                dir.resolve("master.key").toString(), "--keep-all"));
        args.addAll(List.of(more));
        out.reset();
        err.reset();
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true),
                new PrintStream(err, true));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private long recordsWritten() throws Exception {
        return JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("recordsWritten").asLong();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--mode incremental|needs --state-file or --state-uri",
        "--state-file s.json --cursor items=updated_at|--cursor needs --mode incremental",
        "--state-file s.json --state-uri s3://b/k|give at most one of",
        "--state-file s.json --mode incremental --cursor items|must have the form table=col1",
        "--state-file s.json --mode incremental --cursor visits=id|which --tables does not list",
        "--state-file s.json --mode sideways|--mode must be full or incremental",
        "--state-uri notanaddress --mode incremental|must have the form s3://bucket/key"})
    void badStateFlags_exit2(String flags, String message) {
        assertThat(run(flags.split(" "))).isEqualTo(2);
        assertThat(err()).contains(message);
    }

    @Test
    void rerunWithTheSameFlags_deliversOnlyWhatChanged() throws Exception {
        String state = dir.resolve("state.json").toString();
        String[] flags = {"--state-file", state, "--mode", "incremental", "--cursor",
            "items=updated_at,id"};

        assertThat(run(flags)).as(err()).isZero();
        long first = recordsWritten();
        scratch.execute("INSERT INTO items VALUES (3, '2026-01-03', NULL, 'Quispe')");
        assertThat(run(flags)).as(err()).isZero();

        assertThat(first).isEqualTo(2);
        assertThat(recordsWritten()).isEqualTo(1);
    }

    @Test
    void nullableCursorColumn_exit2NamingStreamAndField() {
        assertThat(run("--state-file", dir.resolve("s.json").toString(), "--mode",
                "incremental", "--cursor", "items=loose")).isEqualTo(2);
        assertThat(err()).contains("stream 'items', field 'loose': a cursor column must be NOT"
                + " NULL");
    }

    @Test
    void stateOfANewerVersion_exit2AndStateUntouched() throws Exception {
        Path state = dir.resolve("state.json");
        String newer = "{\"format\": \"phi-courier-state\", \"formatVersion\": 9}";
        Files.writeString(state, newer);

        assertThat(run("--state-file", state.toString(), "--mode", "incremental",
                "--cursor", "items=updated_at")).isEqualTo(2);
        assertThat(err()).contains("written by a newer version");
        assertThat(Files.readString(state)).isEqualTo(newer);
    }

    @Test
    void corruptedState_exit1AndStateUntouched() throws Exception {
        Path state = dir.resolve("state.json");
        assertThat(run("--state-file", state.toString(), "--mode", "incremental",
                "--cursor", "items=updated_at")).isZero();
        String corrupted = Files.readString(state).replace("\"nextSequence\" : ",
                "\"nextSequence\" : \"x");
        Files.writeString(state, corrupted);

        assertThat(run("--state-file", state.toString(), "--mode", "incremental",
                "--cursor", "items=updated_at")).isEqualTo(1);
        assertThat(err()).contains("is corrupted");
        assertThat(Files.readString(state)).isEqualTo(corrupted);
    }
}
