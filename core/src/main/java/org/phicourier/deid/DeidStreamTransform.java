package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.phicourier.ConfigurationException;
import org.phicourier.SchemaViolationException;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.QuarantineNote;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;

/** De-identification bound to one stream. Not thread-safe. */
final class DeidStreamTransform implements StreamTransform {
    /** The rule id under which the audit trail records a record withheld for a bad value. */
    static final String BAD_VALUE_RULE = "deid.bad-value";
    private static final int MAX_PATHS = 100_000;
    private static final int MAX_CACHED_OFFSETS = 100_000;

    private final StreamDescriptor descriptor;
    private final Consumer<DeidStreamTransform> registry;
    private final String stream;
    private final Settings settings;
    private final Schema input;
    private final Decision[] decisions;
    private final PathNode[] roots;
    private final long[][] columnCounts;
    private final Schema output;
    private final Function<Row, Optional<String>> subjectOf;
    private final ValueOps ops;
    private final Optional<Pseudonyms> pseudonyms;
    private final Optional<DateShifter> shifter;
    private final JsonWalker walker;
    private final Scrubber scrubber = new Scrubber();
    private final Map<String, Integer> offsets = new HashMap<>();
    private final List<QuarantineNote> notes = new ArrayList<>();
    final Map<String, Long> hits = new TreeMap<>();
    final Map<String, Long> quarantinedFields = new TreeMap<>();
    long records;
    long quarantined;

    private DeidStreamTransform(StreamDescriptor stream, Settings settings, Decision[] decisions,
            Function<Row, Optional<String>> subjectOf, Consumer<DeidStreamTransform> registry) {
        this.descriptor = stream;
        this.registry = registry;
        this.stream = stream.name();
        this.settings = settings;
        this.input = stream.schema();
        this.decisions = decisions;
        this.subjectOf = subjectOf;
        this.roots = new PathNode[decisions.length];
        this.columnCounts = new long[decisions.length][Outcome.values().length];
        this.ops = new ValueOps(settings.keys, settings.zip3, settings.referenceDate);
        this.pseudonyms = settings.keys.map(Pseudonyms::new);
        this.shifter = settings.keys.map(k -> new DateShifter(k, settings.dateShift));
        this.walker = new JsonWalker(this.stream, settings.resolution(this.stream), ops,
                settings.scrubFreeText, settings.unknownFields == UnknownFieldPolicy.FAIL,
                new int[] {MAX_PATHS});
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < decisions.length; i++) {
            Field field = input.field(i);
            if (decisions[i] == null) {
                roots[i] = PathNode.root(field.name());
                fields.add(field);
            } else if (decisions[i].operation().kind() != Operation.Kind.DROP) {
                fields.add(field.withType(outputType(field, decisions[i].operation())));
            }
        }
        this.output = Schema.of(fields);
    }

    /**
     * Binds the settings to a stream.
     *
     * @param registry told of the transformation and of every copy made of it, for the report
     */
    static DeidStreamTransform bind(StreamDescriptor stream, Settings settings,
            Consumer<DeidStreamTransform> registry) {
        SubjectResolver resolver = settings.subjects.getOrDefault(stream.name(),
                SubjectResolver.infer(stream));
        Resolution resolution = settings.resolution(stream.name());
        Decision[] decisions = new Decision[stream.schema().size()];
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < decisions.length; i++) {
            decisions[i] = decide(stream.schema().field(i), resolution, resolver, settings);
            if (decisions[i] != null && decisions[i].source() == Decision.Source.UNKNOWN) {
                unknown.add(stream.schema().field(i).name());
            }
        }
        if (!unknown.isEmpty() && settings.unknownFields == UnknownFieldPolicy.FAIL) {
            throw new ConfigurationException("stream '" + stream.name() + "': no rule or"
                    + " classifier covers the fields " + unknown + " and the unknown-field"
                    + " policy is FAIL; add rules for them");
        }
        checkRulesMatch(stream, settings);
        DeidStreamTransform bound = new DeidStreamTransform(stream, settings, decisions,
                resolver.bind(stream), registry);
        registry.accept(bound);
        return bound;
    }

    private static Decision decide(Field field, Resolution resolution, SubjectResolver resolver,
            Settings settings) {
        Decision decision = resolution.forColumn(field);
        if (field.type() == FieldType.JSON && !decision.explicit()) {
            return null;
        }
        Operation.Kind kind = decision.operation().kind();
        if (resolver.isNone() && (kind == Operation.Kind.SHIFT
                || kind == Operation.Kind.BIRTH_SHIFT)) {
            Operation.Kind generalised = kind == Operation.Kind.SHIFT ? Operation.Kind.YEAR
                    : Operation.Kind.BIRTH_YEAR;
            decision = new Decision(Operation.of(generalised), decision.category(),
                    decision.source());
        }
        if (decision.operation().needsKeys() && settings.keys.isEmpty()) {
            throw new ConfigurationException("field '" + field.name() + "' needs the"
                    + " de-identification keys for operation '" + decision.operation()
                    + "': set keys(DeidKeys)");
        }
        return decision;
    }

    private static void checkRulesMatch(StreamDescriptor stream, Settings settings) {
        boolean hasJson = stream.schema().fields().stream()
                .anyMatch(f -> f.type() == FieldType.JSON);
        for (Rule rule : settings.streamRules.getOrDefault(stream.name(), List.of())) {
            boolean matches = stream.schema().names().stream().anyMatch(n -> rule.glob()
                    .matches(new String[] {n.toLowerCase(java.util.Locale.ROOT)}));
            if (!matches && !hasJson && rule.glob().literal()) {
                throw new ConfigurationException("stream '" + stream.name() + "': the rule for"
                        + " '" + rule.glob() + "' matches no field of the stream");
            }
        }
    }

    private static FieldType outputType(Field field, Operation op) {
        switch (op.kind()) {
            case KEEP:
                return field.type();
            case SHIFT:
                return field.type() == FieldType.DATE || field.type() == FieldType.TIMESTAMP
                        || field.type() == FieldType.TIMESTAMP_TZ ? field.type() : FieldType.STRING;
            default:
                return FieldType.STRING;
        }
    }

    @Override
    public Schema outputSchema() {
        return output;
    }

    @Override
    public RowBatch apply(RowBatch batch) {
        List<Row> out = new ArrayList<>(batch.size());
        long position = batch.firstPosition();
        for (Row row : batch.rows()) {
            records++;
            try {
                out.add(process(row, position));
            } catch (FieldFailure failure) {
                handle(failure, row, position);
            }
            position++;
        }
        return RowBatch.of(output, out, batch.firstPosition());
    }

    private void handle(FieldFailure failure, Row row, long position) {
        String where = "stream '" + stream + "', field '" + failure.field() + "', row " + position;
        if (settings.badValues == BadValuePolicy.QUARANTINE && settings.quarantine.isPresent()) {
            settings.quarantine.get().put(new QuarantinedRecord(stream, position,
                    failure.field(), failure.reason(), row));
            notes.add(new QuarantineNote(BAD_VALUE_RULE, failure.field(), position));
            quarantined++;
            quarantinedFields.merge(failure.field(), 1L, Long::sum);
            return;
        }
        throw new SchemaViolationException(where + ": " + failure.reason()
                + (settings.quarantine.isPresent() ? ""
                : "; set the bad-value policy to QUARANTINE with a quarantine to set such records"
                        + " aside instead"));
    }

    private Row process(Row row, long position) {
        Optional<String> raw = subjectOf.apply(row);
        Optional<String> subject = raw.flatMap(id -> pseudonyms.map(p -> p.subject(id)));
        RecordContext record = new RecordContext(position, subject, this::offset);
        if (settings.scrubFreeText && raw.isPresent()) {
            record.terms().add(Category.MRN, Pseudonyms.idPart(raw.get()));
        }
        Object[] values = new Object[output.size()];
        int next = 0;
        for (int i = 0; i < decisions.length; i++) {
            collectTerms(i, row, record);
            if (decisions[i] == null) {
                values[next++] = walkJson(row.get(i), i, record);
            } else if (decisions[i].operation().kind() != Operation.Kind.DROP) {
                values[next] = column(i, row.get(i), record, values, next);
                next++;
            } else {
                Outcome outcome = decisions[i].source() == Decision.Source.UNKNOWN
                        ? Outcome.UNKNOWN : Outcome.DROPPED;
                columnCounts[i][outcome.ordinal()] += row.isNull(i) ? 0 : 1;
            }
        }
        finishText(record);
        return Row.of(output, values);
    }

    private void collectTerms(int i, Row row, RecordContext record) {
        Decision decision = decisions[i];
        if (settings.scrubFreeText && decision != null && !row.isNull(i)
                && decision.source() != Decision.Source.UNKNOWN
                && Terms.collects(decision.category()) && !(row.get(i) instanceof byte[])) {
            record.terms().add(decision.category(), ValueOps.text(row.get(i)));
        }
    }

    private Object walkJson(Object value, int column, RecordContext record) {
        if (value == null) {
            return null;
        }
        try {
            return walker.walk((JsonNode) value, roots[column], record).orElse(null);
        } catch (BadValueException e) {
            throw new FieldFailure(input.field(column).name(), e.getMessage());
        }
    }

    private Object column(int i, Object value, RecordContext record, Object[] values, int at) {
        if (value == null) {
            return null;
        }
        Decision decision = decisions[i];
        String name = input.field(i).name();
        if (decision.operation().kind() == Operation.Kind.SCRUB) {
            record.defer(new RecordContext.PendingText(text -> values[at] = text,
                    textOf(name, value), Scrubber.Form.PLAIN, name, columnCounts[i]));
            return null;
        }
        try {
            Optional<Object> result = ops.apply(decision.operation(), decision.category(), name,
                    value, record.offset());
            columnCounts[i][(result.isPresent() ? ops.outcome() : Outcome.DROPPED).ordinal()]++;
            return result.map(r -> output.field(at).type() == FieldType.STRING
                    && !(r instanceof String) ? r.toString() : r).orElse(null);
        } catch (BadValueException e) {
            throw new FieldFailure(name, e.getMessage() + " for operation '"
                    + decision.operation() + "'");
        }
    }

    private static String textOf(String field, Object value) {
        if (!(value instanceof String)) {
            throw new FieldFailure(field, "free text is not text");
        }
        return (String) value;
    }

    /** Scrubs the record's free text with its own PHI and its subject's, then re-checks it. */
    private void finishText(RecordContext record) {
        if (record.subject.isPresent() && record.hasTerms()) {
            settings.subjectIndex.add(record.subject.get(), record.terms());
        }
        if (record.pending().isEmpty()) {
            return;
        }
        List<PhiTerms> terms = new ArrayList<>(2);
        terms.add(record.terms());
        record.subject.flatMap(settings.subjectIndex::get).ifPresent(terms::add);
        for (RecordContext.PendingText text : record.pending()) {
            String scrubbed = scrub(text, terms);
            if (!scrubbed.equals(text.text()) && scrubber.residual(text.form(), scrubbed, terms)) {
                throw new FieldFailure(text.field(), "free text still holds identifiers after"
                        + " scrubbing");
            }
            text.counts()[Outcome.SCRUBBED.ordinal()]++;
            text.setter().accept(scrubbed);
        }
    }

    private String scrub(RecordContext.PendingText text, List<PhiTerms> terms) {
        try {
            return scrubber.scrub(text.form(), text.text(), terms, hits);
        } catch (BadValueException e) {
            throw new FieldFailure(text.field(), e.getMessage());
        }
    }

    private Integer offset(String subject) {
        Integer cached = offsets.get(subject);
        if (cached == null) {
            if (offsets.size() >= MAX_CACHED_OFFSETS) {
                offsets.clear();
            }
            cached = shifter.orElseThrow().offsetDays(subject);
            offsets.put(subject, cached);
        }
        return cached;
    }

    /**
     * Offers a copy only when no record depends on another: scrubbing free text uses the names
     * of the subject's earlier records, and a quarantine need not take records from several
     * threads.
     */
    @Override
    public Optional<StreamTransform> copy() {
        boolean quarantining = settings.badValues == BadValuePolicy.QUARANTINE
                && settings.quarantine.isPresent();
        if (settings.scrubFreeText || quarantining) {
            return Optional.empty();
        }
        DeidStreamTransform copy = new DeidStreamTransform(descriptor, settings, decisions,
                subjectOf, registry);
        registry.accept(copy);
        return Optional.of(copy);
    }

    /** Returns the counts per field path and outcome, skipping zeros. */
    Map<String, Map<String, Long>> fieldCounts() {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        for (int i = 0; i < decisions.length; i++) {
            if (roots[i] != null) {
                roots[i].forEach(node -> put(result, node.path(), node.counts));
            } else {
                put(result, input.field(i).name(), columnCounts[i]);
            }
        }
        quarantinedFields.forEach((field, n) -> result.merge(field,
                Map.of(Outcome.QUARANTINED.label(), n), (a, b) -> {
                    Map<String, Long> sum = new TreeMap<>(a);
                    sum.putAll(b);
                    return sum;
                }));
        return result;
    }

    private static void put(Map<String, Map<String, Long>> result, String path, long[] counts) {
        Map<String, Long> byOutcome = new TreeMap<>();
        for (Outcome outcome : Outcome.values()) {
            if (counts[outcome.ordinal()] > 0) {
                byOutcome.put(outcome.label(), counts[outcome.ordinal()]);
            }
        }
        if (!byOutcome.isEmpty()) {
            result.merge(path, byOutcome, (a, b) -> {
                Map<String, Long> sum = new TreeMap<>(a);
                b.forEach((k, v) -> sum.merge(k, v, Long::sum));
                return sum;
            });
        }
    }

    String stream() {
        return stream;
    }

    @Override
    public List<QuarantineNote> takeQuarantined() {
        List<QuarantineNote> taken = List.copyOf(notes);
        notes.clear();
        return taken;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> totals = new TreeMap<>();
        fieldCounts().values().forEach(counts -> counts.forEach((outcome, n) ->
                totals.merge("deid." + outcome, n, Long::sum)));
        totals.put("deid.records.quarantined", quarantined);
        return totals;
    }

    @Override
    public String toString() {
        return "DeidStreamTransform[stream=" + stream + "]";
    }
}
