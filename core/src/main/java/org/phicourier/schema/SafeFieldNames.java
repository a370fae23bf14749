package org.phicourier.schema;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.phicourier.model.Field;
import org.phicourier.model.Row;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.Transformer;

/**
 * A transformer that renames fields whose names a target format or consumer cannot take, such as
 * Parquet, Athena or Spark: every name becomes {@code [A-Za-z_][A-Za-z0-9_]*}, unique even when
 * case is ignored. The renamed field keeps its first name as {@link Field#originalName()}, so the
 * schema written beside the data (see {@link SchemaJson}) maps each name back.
 *
 * <p>The mapping is deterministic: it depends on the names and their order only. Names that are
 * already safe and unique keep their spelling and are claimed first; then accents are stripped,
 * other non-ASCII characters become {@code u<hex>}, anything else becomes {@code _}, a leading
 * digit gets a {@code _} in front, and a name that is still taken gets the first free suffix
 * {@code _2}, {@code _3}, and so on. Values are not touched. Immutable and thread-safe.
 */
public final class SafeFieldNames implements Transformer {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private SafeFieldNames() {
    }

    /**
     * Returns the transformer.
     *
     * @return the transformer
     */
    public static SafeFieldNames create() {
        return new SafeFieldNames();
    }

    /**
     * Maps names to safe, unique names, as the transformer does.
     *
     * @param names the names in schema order
     * @return the safe names in the same order
     */
    public static List<String> map(List<String> names) {
        Set<String> taken = new HashSet<>();
        String[] result = new String[names.size()];
        for (int i = 0; i < result.length; i++) {
            String name = names.get(i);
            if (SAFE.matcher(name).matches() && taken.add(fold(name))) {
                result[i] = name;
            }
        }
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null) {
                result[i] = claim(clean(names.get(i)), taken);
            }
        }
        return List.of(result);
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String clean(String name) {
        String plain = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD))
                .replaceAll("");
        StringBuilder safe = new StringBuilder();
        plain.codePoints().forEach(c -> {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '_')) {
                safe.appendCodePoint(c);
            } else if (c >= 128 && Character.isLetterOrDigit(c)) {
                safe.append('u').append(Integer.toHexString(c));
            } else {
                safe.append('_');
            }
        });
        if (safe.length() == 0 || Character.isDigit(safe.charAt(0))) {
            safe.insert(0, '_');
        }
        return safe.toString();
    }

    private static String claim(String base, Set<String> taken) {
        String candidate = base;
        for (int n = 2; !taken.add(fold(candidate)); n++) {
            candidate = base + "_" + n;
        }
        return candidate;
    }

    @Override
    public StreamTransform bind(StreamDescriptor input) {
        Schema schema = input.schema();
        List<String> safe = map(schema.names());
        List<Field> fields = new ArrayList<>();
        long renamed = 0;
        for (int i = 0; i < schema.size(); i++) {
            Field field = schema.field(i);
            boolean same = field.name().equals(safe.get(i));
            fields.add(same ? field : field.withName(safe.get(i)));
            renamed += same ? 0 : 1;
        }
        return new Renaming(Schema.of(fields), renamed, true);
    }

    @Override
    public String toString() {
        return "SafeFieldNames";
    }

    /** Re-labels rows with the renamed schema. */
    private static final class Renaming implements StreamTransform {
        private final Schema output;
        private final long renamed;
        private final boolean counted;

        Renaming(Schema output, long renamed, boolean counted) {
            this.output = output;
            this.renamed = renamed;
            this.counted = counted;
        }

        @Override
        public Schema outputSchema() {
            return output;
        }

        @Override
        public RowBatch apply(RowBatch batch) {
            if (renamed == 0) {
                return batch;
            }
            List<Row> rows = new ArrayList<>(batch.size());
            for (Row row : batch.rows()) {
                Object[] values = new Object[row.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.get(i);
                }
                rows.add(Row.of(output, values));
            }
            return RowBatch.of(output, rows, batch.firstPosition());
        }

        @Override
        public Map<String, Long> counters() {
            return counted ? Map.of("schema.fields.renamed", renamed) : Map.of();
        }

        /** Renaming is the same for every batch; the copy leaves the count to the original. */
        @Override
        public Optional<StreamTransform> copy() {
            return Optional.of(new Renaming(output, renamed, false));
        }
    }
}
