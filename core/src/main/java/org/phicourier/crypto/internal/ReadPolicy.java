package org.phicourier.crypto.internal;

import java.util.Objects;
import org.phicourier.crypto.CommitmentPolicy;

/**
 * What a reader accepts: its commitment policy and its opt-ins for legacy content (AES-CBC) and
 * legacy key wraps.
 *
 * @param commitmentPolicy whether non-committing (V2) objects are read
 * @param allowLegacyContent whether unauthenticated AES-CBC objects are read
 * @param allowLegacyKeyWraps whether data keys wrapped with legacy algorithms are unwrapped
 */
public record ReadPolicy(CommitmentPolicy commitmentPolicy, boolean allowLegacyContent,
        boolean allowLegacyKeyWraps) {
    /** The default: V3 only, nothing legacy. */
    public static final ReadPolicy STRICT =
            new ReadPolicy(CommitmentPolicy.REQUIRE_COMMITMENT, false, false);

    /**
     * Creates a policy.
     *
     * @param commitmentPolicy whether non-committing (V2) objects are read
     * @param allowLegacyContent whether unauthenticated AES-CBC objects are read
     * @param allowLegacyKeyWraps whether legacy key wraps are unwrapped
     */
    public ReadPolicy {
        Objects.requireNonNull(commitmentPolicy, "commitmentPolicy");
    }
}
