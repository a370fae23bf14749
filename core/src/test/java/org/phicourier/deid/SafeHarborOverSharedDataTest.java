package org.phicourier.deid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.Pipeline;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.files.CsvFileSource;
import org.phicourier.files.FhirFileSource;
import org.phicourier.spi.Source;

/**
 * The Safe Harbor preset over every shared data set: no source name, SSN, MRN, phone, e-mail,
 * street address, full ZIP, passport or licence number, or full birth date survives in any
 * output byte (Base64 note attachments decoded), with free text dropped and with it scrubbed.
 */
class SafeHarborOverSharedDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");
    private static SharedPhi phi;

    @BeforeAll
    static void collect() {
        phi = SharedPhi.collect();
    }

    static DeidKeys keys() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        return DeidKeys.of(secret);
    }

    static Deidentifier.Builder safeHarbor() {
        return Deidentifier.builder().preset(Preset.safeHarbor()).keys(keys())
                .referenceDate(LocalDate.of(2026, 1, 1));
    }

    /** Safe Harbor with bad values (such as the HL7 example's six-digit postal code) set aside. */
    static Deidentifier.Builder safeHarbor(Path quarantineDir) {
        return safeHarbor().badValues(BadValuePolicy.QUARANTINE).quarantine(
                EncryptedDirectoryQuarantine.of(quarantineDir, LocalAesKeyring.of(new byte[32])));
    }

    static CaptureSink runAll(Deidentifier deid) {
        CaptureSink sink = new CaptureSink();
        run(CsvFileSource.directory(SharedPhi.csv()), deid, sink);
        run(FhirFileSource.of(SharedPhi.fhirFolders().toArray(Path[]::new)), deid, sink);
        return sink;
    }

    static void run(Source source, Deidentifier deid, CaptureSink sink) {
        Pipeline.from(source).through(deid).to(sink).build().run();
    }

    /**
     * Returns the kinds and indexes (never the values) of collected PHI found in a text: every
     * value's run of letters and digits, ignoring case, anywhere in the text's runs, so that
     * punctuation and case changes do not hide a value.
     */
    static List<String> leaks(String output) {
        List<String> tokens = tokens(output);
        Map<String, List<Integer>> at = new java.util.HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            at.computeIfAbsent(tokens.get(i), t -> new ArrayList<>()).add(i);
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Set<String>> kind : phi.values().entrySet()) {
            int index = 0;
            for (String value : kind.getValue()) {
                if (contains(tokens, at, tokens(value))) {
                    found.add(kind.getKey() + "#" + index);
                }
                index++;
            }
        }
        return found;
    }

    private static boolean contains(List<String> tokens, Map<String, List<Integer>> at,
            List<String> value) {
        for (int start : at.getOrDefault(value.get(0), List.of())) {
            int i = 1;
            while (i < value.size() && start + i < tokens.size()
                    && tokens.get(start + i).equals(value.get(i))) {
                i++;
            }
            if (i == value.size()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group().toLowerCase(java.util.Locale.ROOT));
        }
        return tokens;
    }

    @Test
    void run_sharedDataWithFreeTextDropped_leavesNoCollectedPhi(@TempDir Path quarantine)
            throws IOException {
        CaptureSink sink = runAll(safeHarbor(quarantine).build());

        assertThat(phi.values().values().stream().mapToInt(Set::size).sum()).isGreaterThan(200);
        assertThat(leaks(sink.all())).isEmpty();
        assertThat(leaks(quarantineBytes(quarantine))).isEmpty();
    }

    @Test
    void run_sharedDataWithFreeTextScrubbed_leavesNoCollectedPhiEvenInDecodedNotes(
            @TempDir Path quarantineDir) throws IOException {
        Deidentifier deid = safeHarbor(quarantineDir).scrubFreeText(true).build();

        CaptureSink sink = runAll(deid);

        String output = sink.all();
        assertThat(output).contains("\"data\"");
        assertThat(leaks(output + decodedAttachments(output))).isEmpty();
        assertThat(leaks(quarantineBytes(quarantineDir))).isEmpty();
        assertThat(deid.report().stream("DocumentReference").detectorHits()).containsKey("NAME");
    }

    private static String decodedAttachments(String output) throws IOException {
        StringBuilder decoded = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.contains("\"data\"")) {
                collectData(JSON.readTree(line), decoded);
            }
        }
        return decoded.toString();
    }

    private static void collectData(JsonNode node, StringBuilder decoded) {
        node.properties().forEach(e -> {
            if (e.getKey().equals("data") && e.getValue().isTextual()) {
                decoded.append(new String(java.util.Base64.getMimeDecoder()
                        .decode(e.getValue().asText()), StandardCharsets.UTF_8)).append('\n');
            } else {
                collectData(e.getValue(), decoded);
            }
        });
        if (node.isArray()) {
            node.forEach(item -> collectData(item, decoded));
        }
    }

    static String quarantineBytes(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    @Test
    void run_safeHarbor_keepsStateAndZip3AndYearsOnly() {
        CaptureSink sink = new CaptureSink();
        run(CsvFileSource.files(SharedPhi.csv().resolve("patients.csv")), safeHarbor().build(),
                sink);

        String first = sink.text("patients").lines().findFirst().orElseThrow();
        assertThat(first).contains("\"STATE\":\"Massachusetts\"").contains("\"ZIP\":\"021\"")
                .contains("\"BIRTHDATE\":\"2014\"").doesNotContain("FIRST").doesNotContain("SSN");
    }

    @Test
    void report_afterSharedDataRun_holdsNoPhiAndNoDetectorHit(@TempDir Path quarantine) {
        Deidentifier deid = safeHarbor(quarantine).scrubFreeText(true).build();
        runAll(deid);

        String report = deid.report().toJson();
        assertThat(report).contains("configurationHash").contains(keys().id());
        assertThat(leaks(report)).isEmpty();
        assertThat(new Detectors().find(report)).isEmpty();
    }
}
