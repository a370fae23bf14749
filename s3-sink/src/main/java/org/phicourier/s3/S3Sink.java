package org.phicourier.s3;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.RunReport;
import org.phicourier.crypto.EnvelopeVersion;
import org.phicourier.crypto.Keyring;
import org.phicourier.model.Schema;
import org.phicourier.s3.internal.ContentEncoding;
import org.phicourier.s3.spi.RecordFormat;
import org.phicourier.s3.internal.KeyTemplate;
import org.phicourier.s3.internal.ObjectSettings;
import org.phicourier.s3.internal.ObjectTags;
import org.phicourier.s3.internal.PartRetry;
import org.phicourier.s3.internal.PartSizing;
import org.phicourier.s3.internal.PrefixMaintenance;
import org.phicourier.s3.internal.S3StreamWriter;
import org.phicourier.s3.internal.Transport;
import org.phicourier.s3.internal.UploadOptions;
import org.phicourier.spi.ResumableSink;
import org.phicourier.spi.StreamContext;
import org.phicourier.spi.StreamWriter;
import org.phicourier.state.RunManifest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes each stream as compressed JSON Lines or CSV objects under {@code <prefix>/<stream>/}
 * (gzip JSON Lines by default; see {@link Builder#format} and {@link Builder#compression}),
 * every object encrypted on the client before it leaves the process. The object's name ends in
 * the format and compression ({@code .jsonl.gz}, {@code .csv.zst}, {@code .csv}) and its
 * {@code phi-courier-content} metadata entry names both ({@code jsonl+gzip}, {@code csv+zstd},
 * {@code csv}), so that {@link S3ObjectReader} decodes it.
 *
 * <p>Each object gets a fresh 256-bit data key wrapped by the {@link Keyring} and is encrypted
 * with AES-256-GCM in the key-committing V3 format of the Amazon S3 Encryption Client, so that
 * client (4.x, default settings) can read it; {@link Builder#formatVersion} writes the
 * non-committing V2 format instead, for readers on S3 Encryption Client 3.x. The envelope is
 * stored in the object's metadata, or in an instruction file {@code <key>.instruction} when
 * {@link Builder#instructionFile} asks for it or the metadata would pass S3's 2 KB limit. With a
 * {@link KmsKeyring} the encryption context is {@value #CONTEXT_BUCKET}, {@value #CONTEXT_KEY}
 * and {@value #CONTEXT_STREAM}, naming the object; readers must pass exactly that context.
 *
 * <p>Objects rotate when they reach {@link Builder#maxRecordsPerObject} records, about
 * {@link Builder#maxBytesPerObject} stored bytes or the age {@link Builder#maxObjectAge}, and
 * when the stream's schema changes. Bytes are compressed, encrypted and uploaded as they come,
 * in multipart parts of {@link Builder#partSize} bytes (by default computed from the maximum
 * object size, so that an object needs at most 2,000 of S3's 10,000 parts); at most
 * {@link Builder#uploadConcurrency} parts are in flight while the next is encrypted, so memory
 * stays near {@code (uploadConcurrency + 1) * partSize} whatever the object size. An object
 * smaller than one part is stored with a single PUT.
 *
 * <h2>Retries and integrity</h2>
 * A part whose upload fails with HTTP 500, 502, 503 (SlowDown), 504 or a broken connection is
 * sent again on its own, with exponential backoff and jitter, from the ciphertext kept for it:
 * nothing is encrypted twice and the object's other parts stay. Retries come out of a budget per
 * stream ({@link Builder#partAttempts}, {@link Builder#partRetryBudget}); when it is spent the
 * stream fails with a {@link org.phicourier.SinkException} naming the bucket, key and part, and
 * the upload is aborted. Every part and object carries an S3 checksum over its ciphertext
 * ({@link Builder#checksum}, SHA-256 by default), which S3 checks on upload,
 * {@link S3ObjectReader} checks on download, and the run manifest lists per object with its
 * size, record count and schema version.
 *
 * <h2>Bucket preflight</h2>
 * {@link #prepare()} refuses, before anything is read, a bucket that is not fit for PHI (see
 * {@link BucketPreflight}) unless {@link Builder#allowNoncompliantBucket} is set;
 * {@link #checkBucket()} reports the findings without writing. Objects can also be encrypted at
 * rest with SSE-KMS ({@link Builder#serverSideKmsKey}) and tagged ({@link Builder#objectTag},
 * {@link Builder#streamTag}).
 *
 * <h2>Runs without state</h2>
 * Objects are named {@code <prefix>/<stream>/<runId>-<n>.jsonl.gz}, or as the
 * {@link Builder#keyTemplate} says. Unfinished uploads of a failed stream are aborted and its
 * completed objects deleted.
 *
 * <h2>Runs with state ({@link org.phicourier.Pipeline.Builder#state})</h2>
 * Objects are named {@code <prefix>/<stream>/g<generation>-<start>/<n>.jsonl.gz}: the generation
 * number, the time the generation began (UTC, {@code yyyyMMddTHHmmssZ}) and the object's number
 * in the generation, which fixes the range of bookmarks it covers; a rerun that replays a range
 * writes the same key. Objects rotate only between batches, before the next batch could carry
 * them past {@code maxBytesPerObject}; a single batch larger than that makes a larger object.
 * Each object carries the run's epoch ({@code phi-courier-epoch}), run id and a writer id in its
 * metadata (and in its instruction file, if it has one, which is stored on the same condition),
 * and is completed only if its key is free ({@code If-None-Match: *}). When the key is
 * taken by an object that an older run completed but never committed, that object is deleted on
 * condition that it is unchanged ({@code If-Match} on its ETag) and the completion is repeated;
 * when it is taken by a run of the same or a newer epoch, the writer stops with a
 * {@link org.phicourier.SinkException}: an older writer never replaces a newer object. Objects
 * completed before a failure stay (the pipeline has committed them). Each run also aborts the
 * unfinished uploads of data objects that earlier runs left under the prefix, removes objects
 * that they completed but never committed, and stores a manifest per run under
 * {@code <prefix>/_manifests/<epoch>-<runId>.json}. The prefix then belongs to that one pipeline.
 *
 * <p>The 64 MiB default object size is the largest the S3 Encryption Client 4.x reads with its
 * default settings; larger objects need its delayed-authentication switch.
 *
 * <p>Instances are immutable and thread-safe. The S3 client is owned by the caller.
 */
public final class S3Sink implements ResumableSink {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3Sink.class);
    /** The KMS encryption context entry that names the bucket. */
    public static final String CONTEXT_BUCKET = "phi-courier:bucket";
    /** The KMS encryption context entry that names the object key. */
    public static final String CONTEXT_KEY = "phi-courier:key";
    /** The KMS encryption context entry that names the stream. */
    public static final String CONTEXT_STREAM = "phi-courier:stream";

    private final S3Client s3;
    private final Keyring keyring;
    private final ObjectSettings settings;
    private final PrefixMaintenance maintenance;
    private final UploadOptions uploadOptions;
    private final Optional<String> streamTag;
    private final BucketPreflight preflight;
    private final boolean allowNoncompliantBucket;

    private S3Sink(Builder builder) {
        this.s3 = builder.s3;
        this.keyring = builder.keyring;
        Compression compression = builder.effectiveCompression();
        int level = builder.compressionLevel.orElse(compression.defaultLevel());
        this.settings = new ObjectSettings(builder.bucket, normalisePrefix(builder.prefix),
                builder.maxRecordsPerObject, builder.maxBytesPerObject, builder.partSize(),
                builder.uploadConcurrency,
                new ContentEncoding(builder.format, compression, level),
                builder.formatVersion, builder.instructionFile, builder.template,
                builder.maxObjectAge, builder.maxOpenObjects, builder.clock);
        this.maintenance = new PrefixMaintenance(s3, settings);
        this.uploadOptions = new UploadOptions(new PartRetry(builder.partAttempts,
                builder.partRetryBudget, builder.retryBaseDelay), builder.checksum,
                Optional.ofNullable(builder.sseKmsKeyId), builder.bucketKey, builder.objectTags);
        this.streamTag = Optional.ofNullable(builder.streamTag);
        this.preflight = BucketPreflight.builder().s3Client(s3).bucket(builder.bucket)
                .expectedOwner(builder.expectedBucketOwner).allowPlainHttp(builder.allowPlainHttp)
                .build();
        this.allowNoncompliantBucket = builder.allowNoncompliantBucket;
    }

    /**
     * Starts building an S3 sink.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static String normalisePrefix(String prefix) {
        String trimmed = prefix.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? "" : trimmed + "/";
    }

    /**
     * Checks, before the first write, that the bucket exists and is reachable, that it is fit
     * for PHI (see {@link BucketPreflight}) and that the keyring's master key is usable.
     *
     * @throws ConfigurationException when the bucket is missing, or not fit for PHI and
     *     {@link Builder#allowNoncompliantBucket} is off; the message names every finding
     */
    @Override
    public void prepare() {
        BucketCompliance compliance = preflight.run();
        if (!compliance.compliant()) {
            if (!allowNoncompliantBucket) {
                throw new ConfigurationException(compliance.describe()
                        + "; fix the bucket, or call allowNoncompliantBucket(true)");
            }
            LOG.warn("{}; writing anyway (allowNoncompliantBucket)", compliance.describe());
        }
        keyring.verify();
    }

    /**
     * Checks whether the bucket is fit for PHI without writing anything: the check-only mode of
     * the preflight that {@link #prepare()} runs.
     *
     * @return the findings
     * @throws org.phicourier.SinkException when S3 cannot be reached
     */
    public BucketCompliance checkBucket() {
        return preflight.run();
    }

    /**
     * Opens a stream's writer.
     *
     * @throws ConfigurationException when the key template names a field the schema lacks or
     *     cannot use, or does not suit a run with (or without) state
     */
    @Override
    public StreamWriter open(StreamContext context, Schema schema) {
        UploadOptions options = uploadOptions.forWriter();
        if (streamTag.isPresent()) {
            Map<String, String> tags = new LinkedHashMap<>(options.tags());
            tags.put(streamTag.get(), context.stream());
            options = new UploadOptions(options.retry(), options.checksum(),
                    options.sseKmsKeyId(), options.bucketKey(), tags);
        }
        return new S3StreamWriter(s3, keyring, settings, context, schema, options);
    }

    /**
     * Aborts the unfinished uploads of data objects under the prefix.
     *
     * @throws org.phicourier.SinkException when S3 fails
     */
    @Override
    public int abortAbandonedUploads() {
        return maintenance.abortAbandonedUploads();
    }

    /**
     * Deletes every object of a generation of a stream.
     *
     * @throws org.phicourier.SinkException when S3 fails
     */
    @Override
    public int retireGeneration(String stream, long generation) {
        return maintenance.retireGeneration(stream, generation);
    }

    /**
     * Deletes the uncommitted objects of older runs, each on condition that it is unchanged.
     *
     * @throws org.phicourier.SinkException when S3 fails
     */
    @Override
    public int discardUncommitted(String stream, long generation, long fromSequence,
            long epoch) {
        return maintenance.discardUncommitted(stream, generation, fromSequence, epoch);
    }

    /**
     * Stores the manifest under {@code <prefix>/_manifests/<epoch>-<runId>.json}, as plain JSON
     * (it holds keys and counts only).
     *
     * @throws org.phicourier.SinkException when S3 fails
     */
    @Override
    public void publish(RunManifest manifest) {
        maintenance.publish(manifest);
    }

    /**
     * Stores the report of a completed run with state under
     * {@code <prefix>/_reports/<runId>.json}, beside {@code _manifests/}. The report is plain
     * JSON, not encrypted: like the manifest it holds counts, stream and field names, ids and
     * object keys only, and operators and monitoring read it without access to the data keys.
     *
     * @throws org.phicourier.SinkException when S3 fails
     */
    @Override
    public void publishReport(RunReport report) {
        maintenance.publishReport(report);
    }

    @Override
    public String toString() {
        return "S3Sink[bucket=" + settings.bucket() + ", prefix=" + settings.prefix()
                + ", keyring=" + keyring.keyId() + "]";
    }

    /** Builds an {@link S3Sink}; mutable and not thread-safe. */
    public static final class Builder {
        private static final int MIB = 1024 * 1024;
        private static final long MAX_OBJECT_BYTES = 64L * 1024 * MIB;

        private S3Client s3;
        private String bucket;
        private String prefix = "";
        private Keyring keyring;
        private long maxRecordsPerObject = 1_000_000;
        private long maxBytesPerObject = 64L * MIB;
        private int partSize;
        private int uploadConcurrency = 4;
        private Optional<Integer> compressionLevel = Optional.empty();
        private RecordFormat format = ObjectFormat.JSONL;
        private Optional<Compression> compression = Optional.empty();
        private Optional<String> keyTemplate = Optional.empty();
        private Optional<KeyTemplate> template = Optional.empty();
        private Optional<Duration> maxObjectAge = Optional.empty();
        private int maxOpenObjects = 4;
        private boolean allowFieldValuesInKeys;
        private Clock clock = Clock.systemUTC();
        private EnvelopeVersion formatVersion = EnvelopeVersion.V3;
        private boolean instructionFile;
        private boolean allowPlainHttp;
        private int partAttempts = 6;
        private int partRetryBudget = 100;
        private Duration retryBaseDelay = Duration.ofMillis(100);
        private IntegrityChecksum checksum = IntegrityChecksum.SHA256;
        private String sseKmsKeyId;
        private boolean bucketKey = true;
        private final Map<String, String> objectTags = new LinkedHashMap<>();
        private String streamTag;
        private boolean allowNoncompliantBucket;
        private String expectedBucketOwner;

        private Builder() {
        }

        private int partSize() {
            return partSize > 0 ? partSize : PartSizing.forMaxObject(maxBytesPerObject);
        }

        /**
         * Sets the S3 client. Required; the caller keeps ownership.
         *
         * @param s3 the client
         * @return this builder
         */
        public Builder s3Client(S3Client s3) {
            this.s3 = Objects.requireNonNull(s3, "s3");
            return this;
        }

        /**
         * Sets the bucket. Required.
         *
         * @param bucket the bucket name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            this.bucket = Objects.requireNonNull(bucket, "bucket");
            return this;
        }

        /**
         * Sets the key prefix under which each stream gets its folder; none by default.
         *
         * @param prefix for example {@code exports/ehr}; leading and trailing slashes are ignored
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Sets the keyring that wraps each object's data key. Required.
         *
         * @param keyring a {@link KmsKeyring}, a local keyring or one of the caller's own
         * @return this builder
         */
        public Builder keyring(Keyring keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * Sets how many records an object holds at most; 1,000,000 by default.
         *
         * @param records at least 1
         * @return this builder
         */
        public Builder maxRecordsPerObject(long records) {
            this.maxRecordsPerObject = records;
            return this;
        }

        /**
         * Sets the stored size at which an object is closed and the next begun; 64 MiB by
         * default. The check runs between records on the bytes that reached the upload, so an
         * object may exceed it by one record and what the encoder and compressor still hold
         * (under 256 KiB).
         *
         * @param bytes at least one part size
         * @return this builder
         */
        public Builder maxBytesPerObject(long bytes) {
            this.maxBytesPerObject = bytes;
            return this;
        }

        /**
         * Sets the multipart part size. By default it is computed from
         * {@link #maxBytesPerObject}: 8 MiB, or more so that an object of the maximum size needs
         * at most 2,000 parts (S3 allows 10,000).
         *
         * @param bytes at least 5 MiB (S3's minimum) and a multiple of 16; an object of
         *     {@code maxBytesPerObject} may need at most 5,000 parts of this size
         * @return this builder
         */
        public Builder partSize(int bytes) {
            this.partSize = bytes;
            return this;
        }

        /**
         * Sets how many parts may upload at once; 4 by default.
         *
         * @param parts at least 1
         * @return this builder
         */
        public Builder uploadConcurrency(int parts) {
            this.uploadConcurrency = parts;
            return this;
        }

        /**
         * Sets the compression level: for gzip 1 (fastest, the default) to 9 (smallest), for
         * zstd 1 to 19 (3 by default); ignored without compression.
         *
         * @param level the level
         * @return this builder
         */
        public Builder compressionLevel(int level) {
            this.compressionLevel = Optional.of(level);
            return this;
        }

        /**
         * Sets the record format; {@link ObjectFormat#JSONL} by default.
         *
         * @param format the format
         * @return this builder
         */
        public Builder format(ObjectFormat format) {
            return format((RecordFormat) format);
        }

        /**
         * Sets the record format to one of an optional module, such as Parquet. A format that
         * {@linkplain RecordFormat#compressesItself compresses itself} makes
         * {@link Compression#NONE} the default, and any other compression an error at
         * {@link #build}.
         *
         * @param format the format
         * @return this builder
         */
        public Builder format(RecordFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Sets the compression, applied before encryption; {@link Compression#GZIP} by default,
         * {@link Compression#NONE} for a format that compresses itself.
         *
         * @param compression the compression
         * @return this builder
         */
        public Builder compression(Compression compression) {
            this.compression = Optional.of(Objects.requireNonNull(compression, "compression"));
            return this;
        }

        private Compression effectiveCompression() {
            return compression.orElse(format.compressesItself() ? Compression.NONE
                    : Compression.GZIP);
        }

        /**
         * Sets the template of object keys under the prefix; the suffix ({@code .csv.zst}) is
         * appended. Placeholders: {@code {stream}}; {@code {runId}}; {@code {generation}}
         * ({@code g<generation>-<start, UTC>}, runs with state only); {@code {sequence}} (the
         * object's number, 5 digits without state, 8 with); {@code {run:PATTERN}} (the run's
         * start in UTC, through a {@link java.time.format.DateTimeFormatter} pattern such as
         * {@code yyyy/MM/dd}); {@code {date:FIELD:PATTERN}} (the date of a DATE, TIMESTAMP or
         * TIMESTAMP_TZ field, the latter in UTC); {@code {value:FIELD}} (the field's value).
         * Everything else is kept literally, {@code =} included, so that Hive-style layouts such
         * as {@code {stream}/state={value:state}/dt={date:admitted:yyyy-MM-dd}/{runId}-{sequence}}
         * read as partitions. A field value keeps the characters S3 keys allow unescaped
         * (letters, digits, {@code !-_.*'()}); others become {@code %XX} of their UTF-8 bytes,
         * as Hive writes them, and null or empty becomes {@code __HIVE_DEFAULT_PARTITION__}.
         *
         * <p>The template needs {@code {stream}}, {@code {sequence}} and {@code {runId}} or
         * {@code {generation}}, so that keys never repeat; literal text may hold only
         * characters safe in keys. Rows whose field placeholders render alike share an object;
         * at most {@link #maxOpenObjects} objects are open at once. <b>Field values in keys are
         * not encrypted and appear in logs and listings</b>: name only fields that are not PHI,
         * and confirm with {@link #allowFieldValuesInKeys}. Runs with state accept only
         * templates that begin with {@code {stream}/{generation}} and name neither a field nor
         * the run ({@code {runId}}, {@code {run:...}}), so that a replay writes the same keys.
         * By default runs without state use {@code {stream}/{runId}-{sequence}} and runs with
         * state {@code {stream}/{generation}/{sequence}}, the names of earlier versions.
         *
         * @param template the template
         * @return this builder
         */
        public Builder keyTemplate(String template) {
            this.keyTemplate = Optional.of(Objects.requireNonNull(template, "template"));
            return this;
        }

        /**
         * Allows key templates that put field values into object keys; off by default, since
         * keys are neither encrypted nor kept out of logs.
         *
         * @param allow true to allow them
         * @return this builder
         */
        public Builder allowFieldValuesInKeys(boolean allow) {
            this.allowFieldValuesInKeys = allow;
            return this;
        }

        /**
         * Sets the age at which an object is closed and the next begun, checked as records
         * arrive (with state: at checkpoints); no limit by default.
         *
         * @param age positive
         * @return this builder
         */
        public Builder maxObjectAge(Duration age) {
            this.maxObjectAge = Optional.of(Objects.requireNonNull(age, "age"));
            return this;
        }

        /**
         * Sets how many objects of a stream may be open at once, one per partition of a key
         * template with field values; 4 by default. When a row needs another, the object written
         * to least recently is completed. Each open object holds one part buffer.
         *
         * @param objects 1 to 64
         * @return this builder
         */
        public Builder maxOpenObjects(int objects) {
            this.maxOpenObjects = objects;
            return this;
        }

        /** Sets the clock that ages objects; for tests. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the envelope format; {@link EnvelopeVersion#V3} (key-committing) by default.
         * Choose {@link EnvelopeVersion#V2} only for readers that cannot read V3, such as S3
         * Encryption Client 3.3 and older.
         *
         * @param version the format to write
         * @return this builder
         */
        public Builder formatVersion(EnvelopeVersion version) {
            this.formatVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Puts every object's envelope in an instruction file {@code <key>.instruction} instead
         * of its metadata; off by default, when only envelopes that would pass S3's 2 KB
         * user-metadata limit go there. (S3 Encryption Client 4.x reads instruction files by
         * default.)
         *
         * @param always true to always use an instruction file
         * @return this builder
         */
        public Builder instructionFile(boolean always) {
            this.instructionFile = always;
            return this;
        }

        /**
         * Allows an S3 client whose endpoint is plain HTTP, such as a local emulator; off by
         * default, so that PHI never travels unencrypted in transit by accident.
         *
         * @param allow true to allow plain HTTP
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Sets how often one part upload is tried before the stream fails; 6 by default. Retries
         * happen on HTTP 500, 502, 503 (SlowDown), 504 and broken connections, with exponential
         * backoff and full jitter, and resend the part's ciphertext as it was: nothing is
         * encrypted twice and the other parts of the object are kept.
         *
         * @param attempts at least 1
         * @return this builder
         */
        public Builder partAttempts(int attempts) {
            this.partAttempts = attempts;
            return this;
        }

        /**
         * Sets how many part retries one stream may use in all before it fails; 100 by default,
         * so a bucket that keeps failing ends the run instead of slowing it without end.
         *
         * @param retries at least 0
         * @return this builder
         */
        public Builder partRetryBudget(int retries) {
            this.partRetryBudget = retries;
            return this;
        }

        /**
         * Sets the delay bound before the first retry of a part, doubled for each further one
         * (up to 20 s); each actual delay is drawn at random below the bound. 100 ms by default.
         *
         * @param delay not negative
         * @return this builder
         */
        public Builder retryBaseDelay(Duration delay) {
            this.retryBaseDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /**
         * Sets the S3 checksum every part and object carries over its ciphertext;
         * {@link IntegrityChecksum#SHA256} by default. S3 checks it on upload, the run manifest
         * records each object's, and {@link S3ObjectReader} checks it on download.
         *
         * @param algorithm the algorithm
         * @return this builder
         */
        public Builder checksum(IntegrityChecksum algorithm) {
            this.checksum = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * Asks S3 to encrypt the objects at rest with SSE-KMS under this key as well, on top of
         * the client-side envelope encryption; off by default (the bucket's default encryption
         * then applies).
         *
         * @param keyId a KMS key id, alias or ARN
         * @return this builder
         */
        public Builder serverSideKmsKey(String keyId) {
            this.sseKmsKeyId = Objects.requireNonNull(keyId, "keyId");
            return this;
        }

        /**
         * Sets whether SSE-KMS uses an S3 Bucket Key, which cuts KMS requests and their cost;
         * on by default. Has an effect only with {@link #serverSideKmsKey}.
         *
         * @param enabled false to call KMS for every object
         * @return this builder
         */
        public Builder bucketKey(boolean enabled) {
            this.bucketKey = enabled;
            return this;
        }

        /**
         * Adds a tag to every object, such as {@code classification=phi}; none by default.
         * Names and values must be S3-valid and must never hold record content.
         *
         * @param name the tag name
         * @param value the tag value
         * @return this builder
         */
        public Builder objectTag(String name, String value) {
            objectTags.put(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Tags every object with its stream's name under this tag name, such as
         * {@code stream}; off by default.
         *
         * @param name the tag name
         * @return this builder
         */
        public Builder streamTag(String name) {
            this.streamTag = Objects.requireNonNull(name, "name");
            return this;
        }

        private Map<String, String> allTags() {
            Map<String, String> all = new LinkedHashMap<>(objectTags);
            if (streamTag != null) {
                all.put(streamTag, "stream");
            }
            return all;
        }

        /**
         * Sets the AWS account id that must own the bucket; the preflight then refuses a
         * bucket of any other account. Not checked by default.
         *
         * @param accountId the 12-digit account id
         * @return this builder
         */
        public Builder expectedBucketOwner(String accountId) {
            this.expectedBucketOwner = Objects.requireNonNull(accountId, "accountId");
            return this;
        }

        /**
         * Allows writing to a bucket the preflight finds unfit for PHI (public access not fully
         * blocked, default encryption or versioning off, non-TLS requests not denied, another
         * owner); off by default. The findings are then logged as a warning.
         *
         * @param allow true to write anyway
         * @return this builder
         */
        public Builder allowNoncompliantBucket(boolean allow) {
            this.allowNoncompliantBucket = allow;
            return this;
        }

        /**
         * Builds the sink.
         *
         * @return the sink
         * @throws ConfigurationException naming every setting that is missing or out of range
         */
        public S3Sink build() {
            StringBuilder problems = new StringBuilder();
            check(problems, s3 != null, "s3Client is required");
            check(problems, bucket != null && !bucket.isBlank(), "bucket is required");
            check(problems, keyring != null, "keyring is required");
            check(problems, maxRecordsPerObject >= 1, "maxRecordsPerObject must be at least 1");
            check(problems, partSize == 0 || partSize >= 5 * MIB && partSize % 16 == 0,
                    "partSize must be at least 5 MiB and a multiple of 16");
            check(problems, maxBytesPerObject >= partSize(),
                    "maxBytesPerObject must be at least partSize");
            check(problems, maxBytesPerObject <= MAX_OBJECT_BYTES,
                    "maxBytesPerObject must be at most 64 GiB (one data key and IV)");
            PartSizing.problem(maxBytesPerObject, partSize()).ifPresent(p -> check(problems,
                    false, p));
            check(problems, partAttempts >= 1, "partAttempts must be at least 1");
            check(problems, partRetryBudget >= 0, "partRetryBudget must not be negative");
            ObjectTags.problem(allTags()).ifPresent(p -> check(problems, false, p));
            check(problems, sseKmsKeyId == null || !sseKmsKeyId.isBlank(),
                    "serverSideKmsKey must not be blank");
            check(problems, uploadConcurrency >= 1, "uploadConcurrency must be at least 1");
            Compression outer = effectiveCompression();
            check(problems, compressionLevel.isEmpty()
                    || outer.accepts(compressionLevel.get()),
                    "compressionLevel for " + outer.label() + " must be between "
                            + outer.range());
            check(problems, !format.compressesItself() || outer == Compression.NONE,
                    "format " + format.label() + " compresses its own content, so compression"
                            + " must be none (the decrypted object must stay a readable "
                            + format.label() + " file)");
            check(problems, maxObjectAge.isEmpty() || !maxObjectAge.get().isNegative()
                    && !maxObjectAge.get().isZero(), "maxObjectAge must be positive");
            check(problems, maxOpenObjects >= 1 && maxOpenObjects <= 64,
                    "maxOpenObjects must be between 1 and 64");
            checkTemplate(problems);
            if (problems.length() > 0) {
                throw new ConfigurationException("S3 sink:" + problems);
            }
            Transport.check(s3, allowPlainHttp, "S3 sink");
            return new S3Sink(this);
        }

        private void checkTemplate(StringBuilder problems) {
            template = Optional.empty();
            if (keyTemplate.isEmpty()) {
                return;
            }
            try {
                template = Optional.of(KeyTemplate.parse(keyTemplate.get()));
            } catch (IllegalArgumentException e) {
                problems.append(" keyTemplate is invalid: ").append(e.getMessage()).append(';');
                return;
            }
            check(problems, !template.get().usesFields() || allowFieldValuesInKeys,
                    "keyTemplate puts field values into keys, which needs"
                            + " allowFieldValuesInKeys");
        }

        private static void check(StringBuilder problems, boolean ok, String problem) {
            if (!ok) {
                problems.append(' ').append(problem).append(';');
            }
        }
    }
}
