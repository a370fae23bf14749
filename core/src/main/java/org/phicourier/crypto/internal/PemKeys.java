package org.phicourier.crypto.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.phicourier.ConfigurationException;

/**
 * Reads RSA keys from PEM files: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY},
 * {@code RSA PUBLIC KEY}) and X.509 ({@code PUBLIC KEY}) blocks. Encrypted keys are refused.
 * Messages name the file and the block type, never key material; decoded bytes are overwritten.
 */
public final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /**
     * The keys found in a file.
     *
     * @param privateKey the private key, when the file holds one
     * @param publicKey the public key: read, or derived from the private key
     */
    public record RsaKeys(Optional<PrivateKey> privateKey, PublicKey publicKey) {
    }

    private PemKeys() {
    }

    /**
     * Reads the first RSA key block of a PEM file.
     *
     * @param file the file
     * @return the keys
     * @throws ConfigurationException when the file is unreadable, holds no supported block, or
     *     holds an encrypted or malformed key
     */
    public static RsaKeys read(Path file) {
        byte[] raw = KeyMaterial.readKeyFile(file, "RSA key");
        try {
            Matcher block = BLOCK.matcher(new String(raw, StandardCharsets.US_ASCII));
            while (block.find()) {
                Optional<RsaKeys> keys = decode(file, block.group(1), block.group(2));
                if (keys.isPresent()) {
                    return keys.get();
                }
            }
            throw new ConfigurationException("RSA key file " + file + " holds no PEM block of"
                    + " type PRIVATE KEY, RSA PRIVATE KEY, PUBLIC KEY or RSA PUBLIC KEY");
        } finally {
            KeyMaterial.zero(raw);
        }
    }

    private static Optional<RsaKeys> decode(Path file, String type, String body) {
        if (type.contains("ENCRYPTED") || body.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new ConfigurationException("RSA key file " + file + " holds an encrypted key;"
                    + " give an unencrypted PKCS#8 or PKCS#1 key from protected storage");
        }
        if (!type.equals("PRIVATE KEY") && !type.equals("RSA PRIVATE KEY")
                && !type.equals("PUBLIC KEY") && !type.equals("RSA PUBLIC KEY")) {
            return Optional.empty();
        }
        byte[] der = new byte[0];
        try {
            der = Base64.getMimeDecoder().decode(body.strip());
            return Optional.of(keys(type, der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigurationException("RSA key file " + file + ": the " + type
                    + " block is not a valid RSA key");
        } finally {
            KeyMaterial.zero(der);
        }
    }

    private static RsaKeys keys(String type, byte[] der) throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        switch (type) {
            case "PRIVATE KEY":
                return fromPrivate(rsa, rsa.generatePrivate(new PKCS8EncodedKeySpec(der)));
            case "RSA PRIVATE KEY":
                RSAPrivateKey pkcs1 = RSAPrivateKey.getInstance(der);
                KeySpec spec = new RSAPrivateCrtKeySpec(pkcs1.getModulus(),
                        pkcs1.getPublicExponent(), pkcs1.getPrivateExponent(),
                        pkcs1.getPrime1(), pkcs1.getPrime2(), pkcs1.getExponent1(),
                        pkcs1.getExponent2(), pkcs1.getCoefficient());
                return fromPrivate(rsa, rsa.generatePrivate(spec));
            case "PUBLIC KEY":
                return new RsaKeys(Optional.empty(),
                        rsa.generatePublic(new X509EncodedKeySpec(der)));
            default:
                RSAPublicKey publicKey = RSAPublicKey.getInstance(der);
                return new RsaKeys(Optional.empty(), rsa.generatePublic(
                        new RSAPublicKeySpec(publicKey.getModulus(),
                                publicKey.getPublicExponent())));
        }
    }

    private static RsaKeys fromPrivate(KeyFactory rsa, PrivateKey key)
            throws GeneralSecurityException {
        if (!(key instanceof RSAPrivateCrtKey)) {
            throw new GeneralSecurityException("not an RSA CRT key");
        }
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
        BigInteger exponent = crt.getPublicExponent();
        PublicKey publicKey = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), exponent));
        return new RsaKeys(Optional.of(key), publicKey);
    }
}
