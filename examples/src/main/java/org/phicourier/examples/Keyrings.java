package org.phicourier.examples;

import java.nio.file.Path;
import org.phicourier.crypto.Keyring;
import org.phicourier.crypto.LocalAesKeyring;
import org.phicourier.s3.KmsKeyring;

/** Chooses the keyring from {@code --kms-key-id} or {@code --master-key-file}. */
final class Keyrings {
    static final String KMS_KEY_ID = "--kms-key-id";
    static final String MASTER_KEY_FILE = "--master-key-file";

    private Keyrings() {
    }

    /** Fails unless exactly one key flag is given; called before any client is built. */
    static void check(CommandLine line) {
        line.exactlyOne(KMS_KEY_ID, MASTER_KEY_FILE);
    }

    static Keyring from(CommandLine line, AwsClients aws) {
        String flag = line.exactlyOne(KMS_KEY_ID, MASTER_KEY_FILE);
        if (flag.equals(KMS_KEY_ID)) {
            return KmsKeyring.builder().kmsClient(aws.kms()).keyId(line.required(KMS_KEY_ID))
                    .build();
        }
        return LocalAesKeyring.fromFile(Path.of(line.required(MASTER_KEY_FILE)));
    }
}
