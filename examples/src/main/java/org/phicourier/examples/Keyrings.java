package org.phicourier.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.crypto.LocalRsaKeyring;
import org.phicourier.s3.KmsKeyring;

/**
 * Chooses the keyring from {@code --kms-key-id}, {@code --master-key-file} or
 * {@code --rsa-key-file} (or the same flags with a {@code from-} / {@code to-} role, as
 * {@code rewrap} uses them), and reads {@code --format-version}.
 */
final class Keyrings {
    static final String KMS_KEY_ID = "--kms-key-id";
    static final String MASTER_KEY_FILE = "--master-key-file";
    static final String RSA_KEY_FILE = "--rsa-key-file";
    static final String FORMAT_VERSION = "--format-version";
    static final String INSTRUCTION_FILE = "--instruction-file";
    static final String CHOICE = "(--kms-key-id ID | --master-key-file F | --rsa-key-file F)";

    private Keyrings() {
    }

    /** The three keyring flags, with a role such as {@code from-}, or none. */
    static List<String> flags(String role) {
        return List.of(withRole(KMS_KEY_ID, role), withRole(MASTER_KEY_FILE, role),
                withRole(RSA_KEY_FILE, role));
    }

    static Set<String> allFlags() {
        return Set.copyOf(flags(""));
    }

    private static String withRole(String flag, String role) {
        return "--" + role + flag.substring(2);
    }

    /** Fails unless exactly one key flag is given; called before any client is built. */
    static void check(CommandLine line) {
        check(line, "");
    }

    /** The same for the flags of one role, such as {@code from-}. */
    static void check(CommandLine line, String role) {
        line.exactlyOne(flags(role).toArray(String[]::new));
    }

    static Keyring from(CommandLine line, AwsClients aws) {
        return from(line, aws, "");
    }

    static Keyring from(CommandLine line, AwsClients aws, String role) {
        List<String> flags = flags(role);
        String flag = line.exactlyOne(flags.toArray(String[]::new));
        if (flag.equals(flags.get(0))) {
            return KmsKeyring.builder().kmsClient(aws.kms()).keyId(line.required(flag)).build();
        }
        if (flag.equals(flags.get(1))) {
            return LocalAesKeyring.fromFile(Path.of(line.required(flag)));
        }
        return LocalRsaKeyring.fromPem(Path.of(line.required(flag)));
    }

    /** Reads {@code --format-version v2|v3}; v3 when absent. */
    static EnvelopeVersion formatVersion(CommandLine line) {
        String value = line.value(FORMAT_VERSION).orElse("v3");
        switch (value) {
            case "v3":
                return EnvelopeVersion.V3;
            case "v2":
                return EnvelopeVersion.V2;
            default:
                throw new UsageException(line.command() + ": " + FORMAT_VERSION
                        + " must be v2 or v3");
        }
    }
}
