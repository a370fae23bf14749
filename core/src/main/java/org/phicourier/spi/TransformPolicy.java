package org.phicourier.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Names the rules a {@link Transformer} applies, as the audit trail records them: an id a person
 * recognises (such as {@code deid/safe-harbor@2026.2}) and the SHA-256 of the rules in a
 * canonical form, so that an auditor can tell whether two runs applied the same rules. Neither
 * holds a key or a record value.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param id what the rules are called
 * @param hash the SHA-256 of the rules in hex, or empty text when the transformer cannot tell
 */
public record TransformPolicy(String id, String hash) {

    /**
     * Creates the value.
     *
     * @param id what the rules are called
     * @param hash the hash in hex, or empty text
     */
    public TransformPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hash, "hash");
    }

    /**
     * Creates a policy whose hash is the SHA-256 of a canonical text of its rules.
     *
     * @param id what the rules are called
     * @param canonicalRules the rules as text that is the same whenever the rules are; it must
     *     hold no key
     * @return the policy
     */
    public static TransformPolicy hashing(String id, String canonicalRules) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalRules.getBytes(StandardCharsets.UTF_8));
            return new TransformPolicy(id, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
