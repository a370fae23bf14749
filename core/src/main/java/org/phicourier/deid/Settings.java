package org.phicourier.deid;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a {@link Deidentifier} was built with, shared read-only by its stream transforms.
 */
final class Settings {
    final Preset preset;
    final Optional<DeidKeys> keys;
    final UnknownFieldPolicy unknownFields;
    final BadValuePolicy badValues;
    final Optional<Quarantine> quarantine;
    final boolean scrubFreeText;
    final DateShift dateShift;
    final LocalDate referenceDate;
    final Zip3Table zip3;
    final Map<String, List<Rule>> streamRules;
    final List<Rule> allStreamRules;
    final Map<String, String> extensionRules;
    final Map<String, SubjectResolver> subjects;
    final SubjectIndex subjectIndex;

    Settings(Deidentifier.Builder b, Map<String, List<Rule>> streamRules,
            Map<String, SubjectResolver> subjects) {
        this.preset = b.preset;
        this.keys = Optional.ofNullable(b.keys);
        this.unknownFields = b.unknownFields;
        this.badValues = b.badValues;
        this.quarantine = Optional.ofNullable(b.quarantine);
        this.scrubFreeText = b.scrubFreeText;
        this.dateShift = b.dateShift;
        this.referenceDate = b.referenceDate;
        this.zip3 = b.zip3;
        this.streamRules = Map.copyOf(streamRules);
        this.allStreamRules = List.copyOf(b.allStreamRules);
        this.extensionRules = Map.copyOf(b.extensionRules);
        this.subjects = Map.copyOf(subjects);
        this.subjectIndex = new SubjectIndex(b.subjectIndexCapacity);
    }

    /** The operation each category gets: the preset's, with free text scrubbed when on. */
    Map<Category, Operation> operations() {
        Map<Category, Operation> ops = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            ops.put(category, preset.operation(category));
        }
        if (scrubFreeText && ops.get(Category.FREE_TEXT).kind() == Operation.Kind.DROP) {
            ops.put(Category.FREE_TEXT, Operation.of(Operation.Kind.SCRUB));
        }
        return ops;
    }

    Resolution resolution(String stream) {
        List<Rule> rules = new ArrayList<>(streamRules.getOrDefault(stream, List.of()));
        rules.addAll(allStreamRules);
        return new Resolution(rules, extensionRules, operations());
    }
}
