package org.phicourier.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.phicourier.deid.DeidKeys;
import org.phicourier.deid.Deidentifier;
import org.phicourier.deid.Preset;
import org.phicourier.deid.Quarantine;

/**
 * The de-identification flags shared by {@code jdbc-to-s3}, {@code fhir-to-s3} and
 * {@code classify}.
 */
final class Deid {
    static final String PRESET = "--preset";
    static final String KEY_FILE = "--deid-key-file";
    static final String CONFIG = "--deid-config";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Deid() {
    }

    static void rejectStrayFlags(CommandLine line, boolean presetGiven) {
        if (!presetGiven && (line.has(KEY_FILE) || line.has(CONFIG))) {
            throw new UsageException(line.command() + ": " + KEY_FILE + " and " + CONFIG
                    + " go with " + PRESET);
        }
    }

    /** Builds the de-identifier: preset, keys derived from the key file, optional overrides. */
    static Deidentifier from(CommandLine line, Quarantine quarantine) {
        Deidentifier.Builder builder = Deidentifier.builder()
                .preset(Preset.named(line.required(PRESET)))
                .keys(DeidKeys.fromFile(Path.of(line.required(KEY_FILE))))
                .quarantine(quarantine);
        line.value(CONFIG).ifPresent(file -> builder.overrides(Path.of(file)));
        return builder.build();
    }

    static String compactReport(Deidentifier deid) {
        try {
            return "{\"deidentification\":"
                    + JSON.writeValueAsString(JSON.readTree(deid.report().toJson())) + "}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
