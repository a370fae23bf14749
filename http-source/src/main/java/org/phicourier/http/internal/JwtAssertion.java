package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.phicourier.ConfigurationException;

/**
 * Signs the JWT client assertions of SMART Backend Services: RS384 with an RSA key of at least
 * 2048 bits, or ES384 with a P-384 key (signature in the JOSE form R || S).
 */
public final class JwtAssertion {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private JwtAssertion() {
    }

    /**
     * Returns the JWS algorithm a key signs with.
     *
     * @param key the private key
     * @return RS384 or ES384
     * @throws ConfigurationException when the key is neither RSA of 2048 bits or more nor EC
     *     on P-384
     */
    public static String algorithm(PrivateKey key) {
        if (key instanceof RSAPrivateKey) {
            if (((RSAPrivateKey) key).getModulus().bitLength() < 2048) {
                throw new ConfigurationException("an RSA signing key must have at least 2048"
                        + " bits");
            }
            return "RS384";
        }
        if (key instanceof ECPrivateKey
                && ((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize() == 384) {
            return "ES384";
        }
        throw new ConfigurationException("the signing key must be RSA (RS384) or EC on curve"
                + " P-384 (ES384)");
    }

    /**
     * Creates a signed assertion.
     *
     * @param key the client's private key
     * @param keyId the {@code kid} header, when the server's key set needs it
     * @param clientId the issuer and subject
     * @param audience the token endpoint
     * @param now the issue time
     * @param lifetime how long the assertion is valid (SMART allows at most 5 minutes)
     * @return the compact JWS
     */
    public static String sign(PrivateKey key, Optional<String> keyId, String clientId,
            URI audience, Instant now, Duration lifetime) {
        String alg = algorithm(key);
        ObjectNode header = Json.MAPPER.createObjectNode().put("alg", alg).put("typ", "JWT");
        keyId.ifPresent(kid -> header.put("kid", kid));
        ObjectNode claims = Json.MAPPER.createObjectNode().put("iss", clientId)
                .put("sub", clientId).put("aud", audience.toString())
                .put("exp", now.plus(lifetime).getEpochSecond())
                .put("iat", now.getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        String input = encode(header) + "." + encode(claims);
        return input + "." + BASE64URL.encodeToString(signature(key, alg, input));
    }

    private static String encode(ObjectNode node) {
        try {
            return BASE64URL.encodeToString(Json.MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JWT part", e);
        }
    }

    private static byte[] signature(PrivateKey key, String alg, String input) {
        try {
            Signature signer = Signature.getInstance(alg.equals("RS384") ? "SHA384withRSA"
                    : "SHA384withECDSAinP1363Format");
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing the client assertion failed ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
