package org.phicourier.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.phicourier.IntegrityException;
import org.phicourier.SinkException;

class MultiKeyringTest {
    private static final AlgorithmSuite V3 = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    private static final LocalAesKeyring OLD = LocalAesKeyring.of(filled(1));
    private static final LocalAesKeyring NEW = LocalAesKeyring.of(filled(2));

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void decryptDataKey_wrappedUnderTheOldKey_isUnwrappedByTheSecond() {
        EncryptedDataKey wrapped = OLD.encryptDataKey(filled(9), V3, Map.of());

        assertThat(MultiKeyring.of(NEW, OLD).decryptDataKey(wrapped, V3, Map.of()))
                .isEqualTo(filled(9));
    }

    @Test
    void generateDataKey_wrapsUnderThePrimary() {
        try (DataKey key = MultiKeyring.of(NEW, OLD).generateDataKey(V3, Map.of())) {
            assertThat(NEW.decryptDataKey(key.encrypted(), V3, Map.of()))
                    .isEqualTo(key.plaintext());
        }
    }

    @Test
    void decryptDataKey_noKeyringUnwraps_namesEveryKeyId() {
        EncryptedDataKey foreign = LocalAesKeyring.of(filled(3)).encryptDataKey(filled(9), V3,
                Map.of());

        assertThatThrownBy(() -> MultiKeyring.of(NEW, OLD).decryptDataKey(foreign, V3, Map.of()))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(NEW.keyId())
                .hasMessageContaining(OLD.keyId());
    }

    @Test
    void decryptDataKey_outageOfTheFirst_stopsWithoutTryingTheNext() {
        AtomicInteger calls = new AtomicInteger();
        Keyring vault = new VaultKeyring(calls, true);
        EncryptedDataKey wrapped = OLD.encryptDataKey(filled(9), V3, Map.of());

        assertThatThrownBy(() -> MultiKeyring.of(vault, OLD).decryptDataKey(wrapped, V3,
                Map.of())).isInstanceOf(SinkException.class).hasMessageContaining("vault");
        assertThat(calls).hasValue(1);
    }

    @Test
    void userSuppliedKeyring_wrapsAndUnwrapsThroughItsService() {
        AtomicInteger calls = new AtomicInteger();
        Keyring vault = new VaultKeyring(calls, false);

        try (DataKey key = vault.generateDataKey(V3, Map.of())) {
            assertThat(vault.decryptDataKey(key.encrypted(), V3, Map.of()))
                    .isEqualTo(key.plaintext());
        }
        assertThat(calls).hasValue(2);
    }

    /**
     * A caller's own keyring, as for a vault whose transit engine holds the master key: every
     * wrap and unwrap goes to the service (here a local AES key standing in for it).
     */
    private static final class VaultKeyring implements Keyring {
        private final LocalAesKeyring service = LocalAesKeyring.of(filled(7));
        private final AtomicInteger calls;
        private final boolean down;

        VaultKeyring(AtomicInteger calls, boolean down) {
            this.calls = calls;
            this.down = down;
        }

        @Override
        public String keyId() {
            return "vault:transit/phi";
        }

        @Override
        public EncryptedDataKey encryptDataKey(byte[] dataKey, AlgorithmSuite suite,
                Map<String, String> context) {
            calls.incrementAndGet();
            return service.encryptDataKey(dataKey, suite, context);
        }

        @Override
        public byte[] decryptDataKey(EncryptedDataKey key, AlgorithmSuite suite,
                Map<String, String> context) {
            calls.incrementAndGet();
            if (down) {
                throw new SinkException("vault is unreachable");
            }
            return service.decryptDataKey(key, suite, context);
        }

        @Override
        public boolean canDecrypt(WrapAlgorithm algorithm) {
            return algorithm == WrapAlgorithm.AES_GCM;
        }
    }
}
