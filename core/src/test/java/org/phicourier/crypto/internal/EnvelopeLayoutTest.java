package org.phicourier.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.WrapAlgorithm;

class EnvelopeLayoutTest {
    private static final byte[] ID = new byte[28];

    private static Map<String, String> v3(EncryptedDataKey key) {
        return EnvelopeEncryption.v3Entries(key, ID, ID);
    }

    private static EncryptedDataKey kms(int ciphertextBytes, int contextEntries) {
        Map<String, String> context = new HashMap<>();
        for (int i = 0; i < contextEntries; i++) {
            context.put("phi-courier:entry-" + i, "value-" + "x".repeat(40) + i);
        }
        context.put("aws:x-amz-cek-alg", "115");
        return EncryptedDataKey.of(WrapAlgorithm.KMS_CONTEXT, new byte[ciphertextBytes], context);
    }

    @Test
    void place_smallEnvelope_staysOnTheObject() {
        EncryptedDataKey key = kms(184, 3);

        EnvelopeLayout.Placement placement = EnvelopeLayout.place(v3(key), Map.of(), key, false);

        assertThat(placement.instructionFile()).isEmpty();
        assertThat(placement.objectMetadata()).containsKeys("x-amz-3", "x-amz-c", "x-amz-t");
    }

    @Test
    void place_requestedForV3_keepsCommitmentSuiteAndMessageIdOnTheObject() {
        EncryptedDataKey key = kms(184, 1);

        EnvelopeLayout.Placement placement = EnvelopeLayout.place(v3(key),
                Map.of("phi-courier-content", "jsonl+gzip"), key, true);

        assertThat(placement.objectMetadata()).containsOnlyKeys("x-amz-c", "x-amz-d", "x-amz-i",
                "phi-courier-content");
        assertThat(placement.instructionFile()).get().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys("x-amz-3", "x-amz-w", "x-amz-t");
    }

    @Test
    void place_requestedForV2_movesEveryEnvelopeEntry() {
        EncryptedDataKey key = kms(184, 1);
        Map<String, String> v2 = EnvelopeEncryption.v2Entries(key, new byte[12],
                EnvelopeVersion.V2.suite());

        EnvelopeLayout.Placement placement = EnvelopeLayout.place(v2, Map.of("other", "kept"),
                key, true);

        assertThat(placement.objectMetadata()).containsOnlyKeys("other");
        assertThat(placement.instructionFile()).get().isEqualTo(v2);
    }

    @Test
    void place_rsa4096KeyWithALargeDescription_movesToAnInstructionFile() {
        Map<String, String> description = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            description.put("purpose-" + i, "registry export for research cohort " + i);
        }
        EncryptedDataKey key = EncryptedDataKey.of(WrapAlgorithm.RSA_OAEP_SHA1, new byte[512],
                description);

        assertThat(EnvelopeLayout.place(v3(key), Map.of(), key, false).instructionFile())
                .isPresent();
    }

    @Test
    void place_shortEmulatorKmsCiphertext_isCountedAtItsAwsSize() {
        EncryptedDataKey asIs = EncryptedDataKey.of(WrapAlgorithm.AES_GCM, new byte[96], Map.of());
        int entries = 0;
        while (EnvelopeLayout.estimatedBytesOnAws(v3(kms(96, entries + 1)), asIs)
                <= EnvelopeLayout.USER_METADATA_LIMIT) {
            entries++;
        }
        EncryptedDataKey emulator = kms(96, entries);

        assertThat(EnvelopeLayout.estimatedBytesOnAws(v3(emulator), asIs))
                .isLessThanOrEqualTo(EnvelopeLayout.USER_METADATA_LIMIT);
        assertThat(EnvelopeLayout.place(v3(emulator), Map.of(), emulator, false)
                .instructionFile()).isPresent();
    }

    @Test
    void estimatedBytesOnAws_countsNamesWithThePrefixAndValues() {
        EncryptedDataKey key = EncryptedDataKey.of(WrapAlgorithm.AES_GCM, new byte[60], Map.of());

        assertThat(EnvelopeLayout.estimatedBytesOnAws(Map.of("a", "bc"), key))
                .isEqualTo("x-amz-meta-a".length() + 2);
    }
}
