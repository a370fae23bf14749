package org.phicourier.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.phicourier.ConfigurationException;
import org.phicourier.IntegrityException;

/**
 * A primary keyring that wraps new data keys, and further keyrings that may also unwrap: the
 * way to keep reading objects written under an old master key after a rotation, for example a
 * {@code KmsKeyring} of the new KMS key followed by one of the old.
 *
 * <p>Unwrapping tries the primary, then the others in order, skipping keyrings that cannot handle
 * the stored wrap algorithm. A keyring that answers with an
 * {@link IntegrityException} (not its key, or altered) makes the next one try; any other failure,
 * such as a KMS outage, stops the attempt at once, because the next keyring cannot cure it. When
 * none succeeds, the {@link IntegrityException} names every key id tried and why it failed.
 *
 * <p>Its key id, description and {@link #verify()} are those of the primary. Instances are
 * immutable and thread-safe.
 */
public final class MultiKeyring implements Keyring {
    private final Keyring primary;
    private final List<Keyring> all;

    private MultiKeyring(Keyring primary, List<Keyring> all) {
        this.primary = primary;
        this.all = all;
    }

    /**
     * Combines keyrings.
     *
     * @param primary wraps new data keys and is tried first when unwrapping
     * @param others also unwrap, in this order
     * @return the combined keyring
     * @throws ConfigurationException when a keyring is given twice
     */
    public static MultiKeyring of(Keyring primary, Keyring... others) {
        List<Keyring> all = new ArrayList<>();
        all.add(Objects.requireNonNull(primary, "primary"));
        for (Keyring other : others) {
            if (all.contains(Objects.requireNonNull(other, "keyring"))) {
                throw new ConfigurationException("keyring " + other.keyId() + " is given twice");
            }
            all.add(other);
        }
        return new MultiKeyring(primary, List.copyOf(all));
    }

    @Override
    public String keyId() {
        return primary.keyId();
    }

    @Override
    public Map<String, String> description() {
        return primary.description();
    }

    @Override
    public DataKey generateDataKey(AlgorithmSuite suite, Map<String, String> context) {
        return primary.generateDataKey(suite, context);
    }

    @Override
    public EncryptedDataKey encryptDataKey(byte[] dataKey, AlgorithmSuite suite,
            Map<String, String> context) {
        return primary.encryptDataKey(dataKey, suite, context);
    }

    @Override
    public byte[] decryptDataKey(EncryptedDataKey key, AlgorithmSuite suite,
            Map<String, String> context) {
        List<String> failures = new ArrayList<>();
        for (Keyring keyring : all) {
            if (!keyring.canDecrypt(key.algorithm())) {
                continue;
            }
            try {
                return keyring.decryptDataKey(key, suite, context);
            } catch (IntegrityException e) {
                failures.add(keyring.keyId() + ": " + e.getMessage());
            }
        }
        if (failures.isEmpty()) {
            throw new IntegrityException("no keyring of " + keyIds() + " handles data keys"
                    + " wrapped with " + key.algorithm());
        }
        throw new IntegrityException("no keyring could unwrap the data key ("
                + String.join("; ", failures) + ")");
    }

    @Override
    public boolean canDecrypt(WrapAlgorithm algorithm) {
        return all.stream().anyMatch(keyring -> keyring.canDecrypt(algorithm));
    }

    @Override
    public void verify() {
        primary.verify();
    }

    private String keyIds() {
        return all.stream().map(Keyring::keyId).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Shows the key ids only. */
    @Override
    public String toString() {
        return "MultiKeyring" + keyIds();
    }
}
