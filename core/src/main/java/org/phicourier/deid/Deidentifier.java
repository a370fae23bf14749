package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.phicourier.ConfigurationException;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.TransformPolicy;
import org.phicourier.spi.Transformer;

/**
 * De-identifies every field of every stream, failing closed: each column, and each leaf of
 * nested JSON such as a FHIR resource, gets a decision (keep, an {@link Operation}, or drop)
 * from, strongest first, an explicit rule, the FHIR R4 datatype default (HumanName, Address,
 * ContactPoint, Identifier, Attachment, Narrative, extensions, Reference.display, Annotation),
 * the FHIR path default, or the name {@link Classifier}; the {@link Preset} maps the resulting
 * {@link Category} to its operation. What nothing places is dropped and counted, or stops the
 * run ({@link UnknownFieldPolicy}).
 *
 * <pre>{@code
 * Deidentifier deid = Deidentifier.builder()
 *         .preset(Preset.safeHarbor())
 *         .keys(DeidKeys.fromFile(keyFile))
 *         .stream("patients", rules -> rules.rule("SSN", "ff1(ssn)"))
 *         .build();
 * RunReport run = Pipeline.from(source).through(deid).to(sink).build().run();
 * DeidReport report = deid.report();
 * }</pre>
 *
 * <p>Keyed operations (pseudonyms, FF1, date shifts) depend only on the keys, the values and the
 * configuration, so pseudonyms and date offsets line up across streams, sources and runs. Dates
 * are shifted per subject (see {@link SubjectResolver}). Free text is dropped unless
 * {@link Builder#scrubFreeText} is on.
 *
 * <p>Instances are thread-safe. The report and the subject index (names seen per patient, used
 * to scrub later notes; held in memory only) accumulate over every stream bound by this
 * instance: build one per run for a per-run report.
 */
public final class Deidentifier implements Transformer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final String configuration;
    private final String configurationHash;
    private final ConcurrentLinkedQueue<DeidStreamTransform> bound = new ConcurrentLinkedQueue<>();

    private Deidentifier(Settings settings, String configuration) {
        this.settings = settings;
        this.configuration = configuration;
        this.configurationHash = sha256(configuration);
    }

    /**
     * Starts building a de-identifier.
     *
     * @return a builder with no preset
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Names the preset and its version, with the hash of the whole configuration (the preset
     * with every override), as {@link DeidReport#configurationHash()} does.
     *
     * @return the policy
     */
    @Override
    public TransformPolicy policy() {
        return new TransformPolicy("deid/" + settings.preset.name() + "@"
                + settings.preset.version(), configurationHash);
    }

    @Override
    public StreamTransform bind(StreamDescriptor input) {
        return DeidStreamTransform.bind(input, settings, bound::add);
    }

    /**
     * Returns the counts of every stream bound so far. Call it when no run is in progress.
     *
     * @return the report
     */
    public DeidReport report() {
        Map<String, DeidReport.StreamSummary> streams = new TreeMap<>();
        for (DeidStreamTransform t : bound) {
            DeidReport.StreamSummary summary = new DeidReport.StreamSummary(t.records,
                    t.quarantined, t.fieldCounts(), t.hits);
            streams.merge(t.stream(), summary, Deidentifier::sum);
        }
        Map<String, String> about = new TreeMap<>();
        about.put("preset", settings.preset.name());
        about.put("presetVersion", settings.preset.version());
        about.put("configurationHash", configurationHash);
        about.put("zip3Table", settings.zip3.version());
        about.put("knowledge", KnownNames.get().version());
        about.put("pseudonyms", Pseudonyms.VERSION);
        about.put("subjectIndexOverflow", Long.toString(settings.subjectIndex.overflow()));
        return new DeidReport(about, settings.keys.map(DeidKeys::keyIds).orElse(Map.of()),
                streams);
    }

    private static DeidReport.StreamSummary sum(DeidReport.StreamSummary a,
            DeidReport.StreamSummary b) {
        Map<String, Map<String, Long>> fields = new TreeMap<>(a.fields());
        b.fields().forEach((field, counts) -> fields.merge(field, counts, (x, y) -> {
            Map<String, Long> merged = new TreeMap<>(x);
            y.forEach((k, v) -> merged.merge(k, v, Long::sum));
            return merged;
        }));
        Map<String, Long> hits = new TreeMap<>(a.detectorHits());
        b.detectorHits().forEach((k, v) -> hits.merge(k, v, Long::sum));
        return new DeidReport.StreamSummary(a.records() + b.records(),
                a.quarantined() + b.quarantined(), fields, hits);
    }

    /**
     * Returns the effective configuration (preset, rules, policies, ranges, key ids) as JSON,
     * the text the configuration hash is computed over.
     *
     * @return JSON without any secret
     */
    public String configuration() {
        return configuration;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "Deidentifier[" + settings.preset + ", keys="
                + settings.keys.map(DeidKeys::id).orElse("none") + "]";
    }

    /** Collects the explicit rules of one stream; used inside {@link Builder#stream}. */
    public static final class StreamRules {
        private final List<Rule> rules = new ArrayList<>();

        private StreamRules() {
        }

        /**
         * Sets the rule for a field name or JSON path glob ({@code *} one segment, {@code **}
         * any; array levels left out), such as {@code SSN} or {@code resource.name.family}.
         *
         * @param field the field name or path pattern, matched ignoring case
         * @param spec an operation spec ({@code ff1(ssn)}) or an upper-case category name
         *     ({@code NAME}) whose preset operation applies
         * @return these rules
         * @throws ConfigurationException when the spec is neither
         */
        public StreamRules rule(String field, String spec) {
            rules.add(Rule.parse(Objects.requireNonNull(field, "field"),
                    Objects.requireNonNull(spec, "spec")));
            return this;
        }

        /**
         * Sets the same rule for several fields.
         *
         * @param spec the operation spec or category name
         * @param fields field names or path patterns
         * @return these rules
         */
        public StreamRules rules(String spec, String... fields) {
            for (String field : fields) {
                rule(field, spec);
            }
            return this;
        }
    }

    /** Builds a {@link Deidentifier}; mutable and not thread-safe. */
    public static final class Builder {
        Preset preset;
        DeidKeys keys;
        UnknownFieldPolicy unknownFields = UnknownFieldPolicy.DROP;
        BadValuePolicy badValues = BadValuePolicy.FAIL;
        Quarantine quarantine;
        boolean scrubFreeText;
        DateShift dateShift = DateShift.DEFAULT;
        LocalDate referenceDate = LocalDate.now(Clock.systemUTC());
        Zip3Table zip3 = Zip3Table.builtIn();
        int subjectIndexCapacity = 200_000;
        final Map<String, List<Rule>> streamRules = new LinkedHashMap<>();
        final List<Rule> allStreamRules = new ArrayList<>();
        final Map<String, String> extensionRules = new LinkedHashMap<>();
        final Map<String, SubjectResolver> subjects = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the preset. Required.
         *
         * @param preset such as {@link Preset#safeHarbor()}
         * @return this builder
         */
        public Builder preset(Preset preset) {
            this.preset = Objects.requireNonNull(preset, "preset");
            return this;
        }

        /**
         * Sets the keys; required when any operation pseudonymises, encrypts or shifts.
         *
         * @param keys the keys
         * @return this builder
         */
        public Builder keys(DeidKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * Sets what happens to fields nothing places; {@link UnknownFieldPolicy#DROP} by default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder unknownFields(UnknownFieldPolicy policy) {
            this.unknownFields = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets what happens to records with values that do not fit their operation;
         * {@link BadValuePolicy#FAIL} by default.
         *
         * @param policy the policy; QUARANTINE needs a {@link #quarantine}
         * @return this builder
         */
        public Builder badValues(BadValuePolicy policy) {
            this.badValues = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets where withheld records go; needed for {@link BadValuePolicy#QUARANTINE}, and
         * for scrubbed free text that still holds identifiers (without one, such a record stops
         * the run).
         *
         * @param quarantine an encrypted quarantine
         * @return this builder
         */
        public Builder quarantine(Quarantine quarantine) {
            this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
            return this;
        }

        /**
         * Switches free-text scrubbing on: free text is scrubbed instead of dropped. Off by
         * default.
         *
         * @param scrub true to scrub
         * @return this builder
         */
        public Builder scrubFreeText(boolean scrub) {
            this.scrubFreeText = scrub;
            return this;
        }

        /**
         * Sets the range of per-patient date offsets; {@link DateShift#DEFAULT} by default.
         *
         * @param range the range
         * @return this builder
         */
        public Builder dateShift(DateShift range) {
            this.dateShift = Objects.requireNonNull(range, "range");
            return this;
        }

        /**
         * Sets the date ages are computed at for 90+ top-coding; today (UTC) by default.
         *
         * @param date the reference date
         * @return this builder
         */
        public Builder referenceDate(LocalDate date) {
            this.referenceDate = Objects.requireNonNull(date, "date");
            return this;
        }

        /**
         * Sets the restricted ZIP3 list; {@link Zip3Table#builtIn()} by default.
         *
         * @param table the table
         * @return this builder
         */
        public Builder zip3Table(Zip3Table table) {
            this.zip3 = Objects.requireNonNull(table, "table");
            return this;
        }

        /**
         * Sets how many patients' structured PHI is remembered to scrub later notes; 200,000
         * by default.
         *
         * @param subjects at least 0
         * @return this builder
         */
        public Builder subjectIndexCapacity(int subjects) {
            this.subjectIndexCapacity = subjects;
            return this;
        }

        /**
         * Sets explicit rules for one stream, or for every stream with the name {@code *}.
         *
         * @param stream the stream name, or {@code *}
         * @param rules adds the rules
         * @return this builder
         */
        public Builder stream(String stream, Consumer<StreamRules> rules) {
            StreamRules collected = new StreamRules();
            rules.accept(collected);
            if (stream.equals("*")) {
                allStreamRules.addAll(collected.rules);
            } else {
                streamRules.computeIfAbsent(StreamDescriptor.checkName(stream),
                        s -> new ArrayList<>()).addAll(collected.rules);
            }
            return this;
        }

        /**
         * Sets the operation (or category) for every value of FHIR extensions with a URL;
         * extensions are dropped by default.
         *
         * @param url the extension URL
         * @param spec an operation spec or upper-case category name
         * @return this builder
         */
        public Builder extension(String url, String spec) {
            Rule.parse("extension", spec);
            extensionRules.put(Objects.requireNonNull(url, "url"), spec);
            return this;
        }

        /**
         * Sets which field identifies the patient of a stream's records; inferred by default
         * (FHIR references, a {@code PATIENT} column, a patients table's {@code Id}).
         *
         * @param stream the stream name
         * @param resolver the resolver
         * @return this builder
         */
        public Builder subject(String stream, SubjectResolver resolver) {
            subjects.put(StreamDescriptor.checkName(stream),
                    Objects.requireNonNull(resolver, "resolver"));
            return this;
        }

        /**
         * Reads overrides from a JSON file: {@code unknownFields}, {@code badValues},
         * {@code scrubFreeText}, {@code referenceDate}, {@code dateShift} ({@code minDays},
         * {@code maxDays}, {@code wholeWeeks}), {@code categories} (category to operation),
         * {@code streams} (stream to {@code fields}, field to spec, and optional
         * {@code subject} path) and {@code extensions} (URL to spec).
         *
         * @param file the overrides file
         * @return this builder
         * @throws ConfigurationException when the file is unreadable or malformed, naming the
         *     entry at fault
         */
        public Builder overrides(Path file) {
            JsonNode root;
            try {
                root = JSON.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new ConfigurationException("cannot read de-identification overrides "
                        + file + ": it must be a JSON object");
            }
            if (root == null || !root.isObject()) {
                throw new ConfigurationException("de-identification overrides " + file
                        + " must be a JSON object");
            }
            new Overrides(file, this).apply(root);
            return this;
        }

        /**
         * Builds the de-identifier.
         *
         * @return the de-identifier
         * @throws ConfigurationException when no preset is set, the quarantine policy has no
         *     quarantine, or keyed operations have no keys
         */
        public Deidentifier build() {
            if (preset == null) {
                throw new ConfigurationException("de-identification needs a preset:"
                        + " call preset(Preset.safeHarbor()) or another");
            }
            if (badValues == BadValuePolicy.QUARANTINE && quarantine == null) {
                throw new ConfigurationException("the QUARANTINE bad-value policy needs a"
                        + " quarantine: call quarantine(...)");
            }
            if (subjectIndexCapacity < 0) {
                throw new ConfigurationException("subjectIndexCapacity must not be negative");
            }
            Settings settings = new Settings(this, streamRules, subjects);
            boolean keyed = settings.operations().values().stream().anyMatch(Operation::needsKeys)
                    || streamRules.values().stream().flatMap(List::stream)
                    .anyMatch(r -> r.operation().map(Operation::needsKeys).orElse(false));
            if (keyed && keys == null) {
                throw new ConfigurationException("preset " + preset.name() + " or a rule"
                        + " pseudonymises, encrypts or shifts dates: set keys(DeidKeys)");
            }
            return new Deidentifier(settings, describe(settings));
        }

        private String describe(Settings settings) {
            ObjectNode root = JSON.createObjectNode();
            root.put("preset", preset.name()).put("presetVersion", preset.version());
            ObjectNode ops = root.putObject("categories");
            settings.operations().forEach((c, op) -> ops.put(c.name(), op.toString()));
            root.put("unknownFields", unknownFields.name()).put("badValues", badValues.name())
                    .put("scrubFreeText", scrubFreeText).put("referenceDate",
                            referenceDate.toString())
                    .put("dateShift", dateShift.toString()).put("zip3", zip3.version())
                    .put("knowledge", KnownNames.get().version())
                    .put("keyId", keys == null ? "none" : keys.id());
            ObjectNode rules = root.putObject("streams");
            new TreeMap<>(streamRules).forEach((stream, list) -> {
                ObjectNode node = rules.putObject(stream);
                list.forEach(rule -> node.put(rule.glob().toString(), rule.spec()));
            });
            ObjectNode all = root.putObject("allStreams");
            allStreamRules.forEach(rule -> all.put(rule.glob().toString(), rule.spec()));
            ObjectNode extensions = root.putObject("extensions");
            new TreeMap<>(extensionRules).forEach(extensions::put);
            ObjectNode resolvers = root.putObject("subjects");
            new TreeMap<>(subjects).forEach((s, r) -> resolvers.put(s, r.toString()));
            return root.toString();
        }
    }

    /** Applies an overrides file to a builder. */
    private static final class Overrides {
        private final Path file;
        private final Builder builder;

        Overrides(Path file, Builder builder) {
            this.file = file;
            this.builder = builder;
        }

        void apply(JsonNode root) {
            text(root, "unknownFields").ifPresent(v -> builder.unknownFields(
                    UnknownFieldPolicy.valueOf(enumName("unknownFields", v, "DROP|FAIL"))));
            text(root, "badValues").ifPresent(v -> builder.badValues(
                    BadValuePolicy.valueOf(enumName("badValues", v, "FAIL|QUARANTINE"))));
            if (root.has("scrubFreeText")) {
                builder.scrubFreeText(root.path("scrubFreeText").asBoolean());
            }
            text(root, "referenceDate").ifPresent(this::referenceDate);
            if (root.has("dateShift")) {
                JsonNode shift = root.path("dateShift");
                builder.dateShift(new DateShift(shift.path("minDays").asInt(-365),
                        shift.path("maxDays").asInt(-1), shift.path("wholeWeeks").asBoolean()));
            }
            root.path("categories").properties().forEach(e -> builder.preset(builder.preset
                    .with(Category.parse(e.getKey()).orElseThrow(() -> fail("categories",
                            "unknown category '" + e.getKey() + "'")),
                            Operation.parse(e.getValue().asText()))));
            root.path("extensions").properties().forEach(e -> builder.extension(e.getKey(),
                    e.getValue().asText()));
            root.path("streams").properties().forEach(e -> stream(e.getKey(), e.getValue()));
        }

        private void stream(String stream, JsonNode node) {
            builder.stream(stream, rules -> node.path("fields").properties()
                    .forEach(f -> rules.rule(f.getKey(), f.getValue().asText())));
            text(node, "subject").ifPresent(path -> builder.subject(stream, path.contains(".")
                    ? SubjectResolver.jsonPath(path) : path.equals("none")
                    ? SubjectResolver.none() : SubjectResolver.field(path)));
        }

        private void referenceDate(String value) {
            try {
                builder.referenceDate(LocalDate.parse(value));
            } catch (DateTimeParseException e) {
                throw fail("referenceDate", "must be a date such as 2026-01-31");
            }
        }

        private String enumName(String entry, String value, String allowed) {
            String name = value.strip().toUpperCase(Locale.ROOT);
            if (!name.matches(allowed)) {
                throw fail(entry, "must be one of " + allowed.replace('|', ','));
            }
            return name;
        }

        private static java.util.Optional<String> text(JsonNode node, String name) {
            JsonNode value = node.path(name);
            return value.isTextual() ? java.util.Optional.of(value.asText())
                    : java.util.Optional.empty();
        }

        private ConfigurationException fail(String entry, String why) {
            return new ConfigurationException("de-identification overrides " + file + ": "
                    + entry + " " + why);
        }
    }
}
