/**
 * The contract through which an optional module adds a record format to the S3 sink and the
 * object reader: {@link org.phicourier.s3.spi.RecordFormat}.
 */
package org.phicourier.s3.spi;
