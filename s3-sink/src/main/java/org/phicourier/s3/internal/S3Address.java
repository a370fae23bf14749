package org.phicourier.s3.internal;

import java.net.URI;
import java.util.Optional;
import org.phicourier.ConfigurationException;

/**
 * An {@code s3://bucket/path} address split into its bucket and path.
 *
 * @param bucket the bucket
 * @param path the key or prefix, without a leading slash; never empty
 */
public record S3Address(String bucket, String path) {

    /**
     * Splits an address.
     *
     * @param address the address
     * @param what what the address is for, for the error, such as {@code state}
     * @param form the form expected, for the error, such as {@code s3://bucket/key}
     * @return the parts
     * @throws ConfigurationException when the address is not of that form
     */
    public static S3Address parse(URI address, String what, String form) {
        String path = Optional.ofNullable(address.getPath()).orElse("").replaceFirst("^/", "");
        if (!"s3".equals(address.getScheme()) || address.getHost() == null || path.isEmpty()) {
            throw new ConfigurationException(what + " address '" + address + "' must have the"
                    + " form " + form);
        }
        return new S3Address(address.getHost(), path);
    }
}
