/**
 * Apache Parquet as an optional record format of the S3 sink:
 * {@link org.phicourier.s3.parquet.ParquetFormat}. The {@code internal} package beside it is not
 * part of the API.
 */
package org.phicourier.s3.parquet;
