package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.s3.RecordReader;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.testing.FakeFhirServer;
import org.phicourier.testing.LoopbackServer;
import org.phicourier.testing.S3Emulator;
import org.phicourier.testing.TestServices;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class FhirToS3CommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeFhirServer fhir;
    private static S3Emulator emulator;
    private static Path keyFile;
    private static LocalAesKeyring keyring;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestServices.emulator();
        fhir = FakeFhirServer.start(TestServices.sharedData());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        keyFile = Files.writeString(dir.resolve("master.key"),
                Base64.getEncoder().encodeToString(key));
        keyring = LocalAesKeyring.of(key);
    }

    @AfterAll
    static void stop() {
        if (fhir != null) {
            fhir.close();
        }
    }

    @Test
    void run_searchTypes_writesEveryResourceEncryptedAndPrintsTheReport() throws Exception {
        String bucket = emulator.createBucket("fhir-search");

        Result result = run("--base-url", fhir.baseUrl().toString(), "--types",
                "Patient,Condition", "--page-size", "7", "--allow-plain-http", "--bucket",
                bucket, "--prefix", "ehr", "--master-key-file", keyFile.toString(),
                "--endpoint", emulator.endpoint().toString(), "--keep-all");

        assertThat(result.code()).as(result.err()).isZero();
        JsonNode report = JSON.readTree(result.out());
        assertThat(report.path("recordsWritten").asLong()).isEqualTo(
                fhir.resources("Patient").size() + fhir.resources("Condition").size());
        Map<String, List<JsonNode>> stored = readBack(bucket);
        assertThat(ids(stored.get("Patient"))).containsExactlyInAnyOrderElementsOf(
                fhir.resources("Patient").keySet());
        assertThat(stored.get("Patient").get(0).path("resource"))
                .isEqualTo(fhir.resources("Patient").get(
                        stored.get("Patient").get(0).path("resource").path("id").asText()));
        assertThat(result.out()).doesNotContain("\"family\"");
    }

    @Test
    void run_bulkWithStateFile_secondRunWritesOnlyTheChanges() throws Exception {
        String bucket = emulator.createBucket("fhir-bulk");
        Path state = dir.resolve("bulk-state.json");
        String[] args = {"--base-url", fhir.baseUrl().toString(), "--bulk", "group:cohort",
            "--types", "Patient,Encounter", "--state-file", state.toString(),
            "--allow-plain-http", "--bucket", bucket,
            "--master-key-file", keyFile.toString(), "--endpoint",
            emulator.endpoint().toString(), "--keep-all"};
        fhir.clockOffset(Duration.ofMinutes(-30));
        try {
            Result first = run(args);
            assertThat(first.code()).as(first.err()).isZero();
            String encounter = fhir.resources("Encounter").keySet().iterator().next();
            fhir.update("Encounter", encounter, e -> e.put("status", "cancelled"));

            Result second = run(args);

            assertThat(second.code()).as(second.err()).isZero();
            JsonNode report = JSON.readTree(second.out());
            assertThat(report.path("recordsWritten").asLong()).isEqualTo(1);
            assertThat(report.path("streams").get(1).path("stream").asText())
                    .isEqualTo("Encounter");
            assertThat(report.path("streams").get(1).path("recordsWritten").asLong())
                    .isEqualTo(1);
            assertThat(Files.readString(state)).contains("transactionTime");
        } finally {
            fhir.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void run_bulkWithoutChanges_succeedsWithAnEmptyReport() throws Exception {
        String bucket = emulator.createBucket("fhir-empty");
        Path state = dir.resolve("empty-state.json");
        String[] args = {"--base-url", fhir.baseUrl().toString(), "--bulk", "system",
            "--types", "Device", "--state-file", state.toString(), "--allow-plain-http",
            "--bucket", bucket,
            "--master-key-file", keyFile.toString(), "--endpoint",
            emulator.endpoint().toString(), "--keep-all"};
        assertThat(run(args).code()).isZero();

        Result again = run(args);

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(JSON.readTree(again.out()).path("recordsWritten").asLong()).isZero();
    }

    @Test
    void run_searchWithStateUri_secondRunWritesOnlyTheChanges() throws Exception {
        String bucket = emulator.createBucket("fhir-state-uri");
        String[] args = {"--base-url", fhir.baseUrl().toString(), "--types", "Patient,Device",
            "--state-uri", "s3://" + bucket + "/state/fhir.json", "--allow-plain-http",
            "--bucket", bucket, "--prefix", "ehr", "--master-key-file", keyFile.toString(),
            "--endpoint", emulator.endpoint().toString(), "--keep-all"};
        fhir.clockOffset(Duration.ofMinutes(-30));
        try {
            Result first = run(args);
            assertThat(first.code()).as(first.err()).isZero();
            String patient = fhir.resources("Patient").keySet().iterator().next();
            fhir.update("Patient", patient, p -> p.put("gender", "unknown"));

            Result second = run(args);

            assertThat(second.code()).as(second.err()).isZero();
            assertThat(JSON.readTree(second.out()).path("recordsWritten").asLong()).isEqualTo(1);
            try (S3Client s3 = emulator.s3Client()) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("state/fhir.json"))
                        .asUtf8String()).contains("serverTime").doesNotContain(patient);
            }
        } finally {
            fhir.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void run_safeHarborPresetOnAPostalCodeThatIsNoZip_failsClosedNamingTheField()
            throws Exception {
        Result result = run("--base-url", fhir.baseUrl().toString(), "--types", "Patient",
                "--allow-plain-http", "--bucket", emulator.createBucket("fhir-deid-fail"),
                "--master-key-file", keyFile.toString(), "--endpoint",
                emulator.endpoint().toString(), "--preset", "safe-harbor", "--deid-key-file",
                deidKey().toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("stream 'Patient'")
                .contains("resource.address.postalCode").contains("row ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void run_safeHarborPresetWithConfig_deidentifiesTheResources() throws Exception {
        String bucket = emulator.createBucket("fhir-deid");
        Path config = Files.writeString(dir.resolve("deid.json"),
                "{\"badValues\": \"quarantine\"}");

        Result result = run("--base-url", fhir.baseUrl().toString(), "--types", "Patient",
                "--allow-plain-http", "--bucket", bucket, "--prefix", "ehr",
                "--master-key-file", keyFile.toString(), "--endpoint",
                emulator.endpoint().toString(), "--preset", "safe-harbor", "--deid-key-file",
                deidKey().toString(), "--deid-config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines[1]).contains("\"deidentification\"").contains("safe-harbor");
        String stored = readBack(bucket).get("Patient").toString();
        List<String> families = fhir.resources("Patient").values().stream()
                .map(p -> p.path("name").path(0).path("family").asText())
                .filter(f -> f.length() > 3).toList();
        assertThat(families).isNotEmpty().noneMatch(stored::contains);
        assertThat(families).noneMatch(result.out()::contains);
    }

    @Test
    void run_smartBackendServices_authenticatesWithASignedAssertion() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        Path pem = Files.writeString(dir.resolve("client.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ec.generateKeyPair().getPrivate()
                .getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        String bucket = emulator.createBucket("fhir-smart");
        try (LoopbackServer auth = LoopbackServer.start()) {
            auth.route("/token", (request, reply) -> reply.send(200, "application/json",
                    "{\"access_token\":\"cli-token-Q7\",\"token_type\":\"bearer\","
                    + "\"expires_in\":300}"));
            fhir.authorization(header -> header.equals(Optional.of("Bearer cli-token-Q7")));

            Result result = run("--base-url", fhir.baseUrl().toString(), "--types", "Device",
                    "--client-id", "cli-client", "--token-url", auth.uri("/token").toString(),
                    "--private-key-file", pem.toString(), "--key-id", "k1",
                    "--allow-plain-http", "--bucket", bucket, "--master-key-file",
                    keyFile.toString(), "--endpoint", emulator.endpoint().toString(),
                    "--keep-all");

            assertThat(result.code()).as(result.err()).isZero();
            assertThat(auth.requests("/token")).singleElement().satisfies(r -> assertThat(
                    new String(r.body(), StandardCharsets.UTF_8)).contains("client_assertion="));
            assertThat(result.err()).doesNotContain("cli-token-Q7");
        } finally {
            fhir.authorization(header -> true);
        }
    }

    private static Path deidKey() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Files.writeString(Files.createTempFile(dir, "deid", ".key"),
                Base64.getEncoder().encodeToString(key));
    }

    static Stream<Arguments> badUsage() {
        String[] sink = {"--bucket", "b", "--master-key-file", "k", "--keep-all"};
        return Stream.of(
                Arguments.of("no base URL", join(new String[] {"--types", "Patient"}, sink)),
                Arguments.of("both state flags", join(new String[] {"--base-url",
                    "https://ehr.example/fhir", "--types", "Patient", "--state-file", "s.json",
                    "--state-uri", "s3://b/k"}, sink)),
                Arguments.of("de-identification key without preset", join(new String[] {
                    "--base-url", "https://ehr.example/fhir", "--types", "Patient",
                    "--deid-key-file", "d.key"}, sink)),
                Arguments.of("unknown bulk level", join(new String[] {"--base-url",
                    "https://ehr.example/fhir", "--bulk", "everything"}, sink)),
                Arguments.of("client id without token URL", join(new String[] {"--base-url",
                    "https://ehr.example/fhir", "--types", "Patient", "--client-id", "c",
                    "--private-key-file", "k.pem"}, sink)),
                Arguments.of("secret without client id", join(new String[] {"--base-url",
                    "https://ehr.example/fhir", "--types", "Patient", "--client-secret-env",
                    "X"}, sink)),
                Arguments.of("bearer variable not set", join(new String[] {"--base-url",
                    "https://ehr.example/fhir", "--types", "Patient", "--bearer-env",
                    "PHI_COURIER_SURELY_UNSET_VARIABLE"}, sink)),
                Arguments.of("plain HTTP to a remote host", join(new String[] {"--base-url",
                    "http://ehr.example/fhir", "--types", "Patient", "--allow-plain-http"},
                    sink)),
                Arguments.of("plain HTTP without the switch", join(new String[] {"--base-url",
                    "http://127.0.0.1:9/fhir", "--types", "Patient"}, sink)),
                Arguments.of("not a resource type", join(new String[] {"--base-url",
                    "https://ehr.example/fhir", "--types", "patient"}, sink)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUsage")
    void run_badUsage_exitsWith2(String name, String[] args) {
        Result result = run(args);

        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void run_serverFails_exitsWith1NamingTheUrl() {
        try (LoopbackServer broken = LoopbackServer.start()) {
            broken.route("/fhir", (request, reply) -> reply.send(200, "text/html",
                    "<html>maintenance</html>"));

            Result result = run("--base-url", broken.uri("/fhir").toString(), "--types",
                    "Patient", "--allow-plain-http", "--bucket", emulator.createBucket("fail"),
                    "--master-key-file", keyFile.toString(), "--endpoint",
                    emulator.endpoint().toString(), "--keep-all");

            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).contains(broken.uri("/fhir/Patient").toString())
                    .contains("content type text/html").doesNotContain("maintenance");
        }
    }

    @Test
    void jar_bearerFromEnvironment_runsAsAProgram() throws Exception {
        Path jar = Path.of("target", "phi-courier-examples.jar");
        if (!Files.exists(jar)) {
            TestServices.unavailable("the examples jar is not built");
        }
        String bucket = emulator.createBucket("fhir-jar");
        fhir.authorization(header -> header.equals(Optional.of("Bearer env-token-8K")));
        try {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"),
                    "bin", "java").toString(), "-jar", jar.toString(), FhirToS3Command.NAME,
                    "--base-url", fhir.baseUrl().toString(), "--types", "AllergyIntolerance",
                    "--bearer-env", "FHIR_TOKEN", "--allow-plain-http", "--bucket", bucket,
                    "--master-key-file", keyFile.toString(), "--endpoint",
                    emulator.endpoint().toString(), "--keep-all");
            builder.environment().put("FHIR_TOKEN", "env-token-8K");
            Process process = builder.redirectError(dir.resolve("jar.err").toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);

            assertThat(process.waitFor()).as(Files.readString(dir.resolve("jar.err"))).isZero();
            assertThat(JSON.readTree(out).path("recordsWritten").asLong())
                    .isEqualTo(fhir.resources("AllergyIntolerance").size());
            assertThat(out + Files.readString(dir.resolve("jar.err")))
                    .doesNotContain("env-token-8K");
        } finally {
            fhir.authorization(header -> true);
        }
    }

    private static Map<String, List<JsonNode>> readBack(String bucket) {
        Map<String, List<JsonNode>> byStream = new HashMap<>();
        try (S3Client s3 = emulator.s3Client()) {
            S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                    .allowPlainHttp(true).build();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                String stream = object.key().split("/")[1];
                try (RecordReader records = reader.readRecords(bucket, object.key())) {
                    while (records.hasNext()) {
                        ObjectNode record = records.next();
                        byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(record);
                    }
                }
            }
        }
        return byStream;
    }

    private static List<String> ids(List<JsonNode> records) {
        return records.stream().map(r -> r.path("resource").path("id").asText()).toList();
    }

    private static String[] join(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(Stream.concat(Stream.of(FhirToS3Command.NAME), Stream.of(args))
                .toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /**
     * What a command run gave.
     *
     * @param code the exit code
     * @param out standard output
     * @param err standard error
     */
    record Result(int code, String out, String err) {
    }
}
