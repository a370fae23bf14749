package org.phicourier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phicourier.audit.AuditVerifier;
import org.phicourier.crypto.DataKey;
import org.phicourier.crypto.EncryptedDataKey;
import org.phicourier.crypto.WrapAlgorithm;
import org.phicourier.deid.QuarantinedRecord;
import org.phicourier.masking.PseudonymKey;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.state.StoredState;

/**
 * Every type that holds a record, a key or a secret document hides it in {@code toString()}:
 * the string names the type, fields, ids and counts, never the value.
 */
class HiddenToStringTest {
    private static final String SECRET = "Zebediah-Secret-4711";
    private static final byte[] KEY = SECRET.repeat(2).substring(0, 32)
            .getBytes(StandardCharsets.US_ASCII);
    private static final Schema SCHEMA = Schema.of(Field.of("name", FieldType.STRING));
    private static final Row ROW = Row.of(SCHEMA, SECRET);

    static Stream<Arguments> holders() {
        EncryptedDataKey wrapped = EncryptedDataKey.of(WrapAlgorithm.values()[0], KEY,
                Map.of("kms_cmk_id", "key-1"));
        return Stream.of(
                Arguments.of("RowBatch", RowBatch.of(SCHEMA, List.of(ROW), 1)),
                Arguments.of("QuarantinedRecord", new QuarantinedRecord("patients", 7, "name",
                        "bad value", ROW)),
                Arguments.of("DataKey", DataKey.of(KEY, wrapped)),
                Arguments.of("EncryptedDataKey", wrapped),
                Arguments.of("PseudonymKey", PseudonymKey.of("pk-1", KEY)),
                Arguments.of("StoredState", StoredState.of(
                        ("{\"cursor\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8),
                        "v1")),
                Arguments.of("AuditVerifier.Entry", new AuditVerifier.Entry("line 1",
                        "{\"actor\":\"" + SECRET + "\"}")),
                Arguments.of("StreamReport", new StreamReport("patients", 1, 1, 0, List.of(),
                        0, Duration.ZERO, Map.of())),
                Arguments.of("RunReport", new RunReport("run-1", Instant.EPOCH, Instant.EPOCH,
                        List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void toString_holderOfValuesOrKeys_showsNeitherValueNorKeyBytes(String type,
            Object holder) {
        String text = holder.toString();

        assertThat(text).doesNotContain(SECRET).doesNotContain("Zebediah")
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(KEY))
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(KEY));
    }
}
