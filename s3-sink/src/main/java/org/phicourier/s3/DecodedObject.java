package org.phicourier.s3;

import java.io.InputStream;
import java.util.Optional;
import org.phicourier.s3.internal.ContentEncoding;

/**
 * A verified, decrypted and decompressed object and how its records are encoded.
 *
 * @param content the encoded records; the caller closes them
 * @param encoding the encoding; empty for objects that other writers stored
 */
record DecodedObject(InputStream content, Optional<ContentEncoding> encoding) {
}
