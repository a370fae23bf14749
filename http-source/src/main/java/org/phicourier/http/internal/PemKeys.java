package org.phicourier.http.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.phicourier.ConfigurationException;

/**
 * Reads unencrypted private keys from PEM text: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA
 * ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}). Messages never quote the text.
 */
public final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeys() {
    }

    /**
     * Reads the first private key block of a PEM text.
     *
     * @param pem the PEM text
     * @param origin where the text came from, for messages
     * @return the key
     * @throws ConfigurationException when no supported, unencrypted key is found
     */
    public static PrivateKey read(String pem, String origin) {
        Matcher block = BLOCK.matcher(pem);
        while (block.find()) {
            String label = block.group(1);
            if (label.endsWith("PRIVATE KEY")) {
                byte[] der = decode(block.group(2), origin);
                return parse(label, der, origin);
            }
        }
        throw new ConfigurationException(origin + " holds no PEM private key block");
    }

    private static byte[] decode(String base64, String origin) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(origin + ": the PEM block is not valid Base64");
        }
    }

    private static PrivateKey parse(String label, byte[] der, String origin) {
        try {
            return switch (label) {
                case "PRIVATE KEY" -> pkcs8(der);
                case "RSA PRIVATE KEY" -> pkcs1(der);
                case "EC PRIVATE KEY" -> sec1(der);
                default -> throw new ConfigurationException(origin + ": " + label + " blocks are"
                        + " not supported; give an unencrypted PKCS#8, PKCS#1 or SEC1 key");
            };
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new ConfigurationException(origin + ": the " + label + " block is not a"
                    + " valid key (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String algorithm = oid.equals(X9ObjectIdentifiers.id_ecPublicKey.getId()) ? "EC" : "RSA";
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static PrivateKey pkcs1(byte[] der) throws GeneralSecurityException {
        RSAPrivateKey key = RSAPrivateKey.getInstance(der);
        return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(
                key.getModulus(), key.getPublicExponent(), key.getPrivateExponent(),
                key.getPrime1(), key.getPrime2(), key.getExponent1(), key.getExponent2(),
                key.getCoefficient()));
    }

    private static PrivateKey sec1(byte[] der) throws GeneralSecurityException, IOException {
        ECPrivateKey key = ECPrivateKey.getInstance(der);
        ASN1Object curve = key.getParametersObject();
        if (curve == null) {
            throw new IllegalArgumentException("the SEC1 key names no curve");
        }
        PrivateKeyInfo info = new PrivateKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), key);
        return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }
}
