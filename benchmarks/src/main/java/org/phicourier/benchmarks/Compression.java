package org.phicourier.benchmarks;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Chooses the sink's compression for a benchmark run. zstd arrives with issue 8 as a
 * {@code compression(...)} setting on the sink's builder whose exact type this module cannot
 * name before it lands, so the setting is found by reflection; without it the run falls back
 * to gzip level 1 and says so in its figures. Levels are the sink's defaults (gzip 1, and for
 * zstd whatever the sink chooses), which is what its users get.
 */
final class Compression {
    private Compression() {
    }

    /**
     * Applies the wanted compression to the builder, an {@code S3Sink.Builder}.
     *
     * @return what the run will really use: {@code zstd} or {@code gzip-1}
     */
    static String apply(Object sink, String wanted) {
        if (!"zstd".equals(wanted)) {
            return "gzip-1";
        }
        Optional<Method> setting = Arrays.stream(sink.getClass().getMethods())
                .filter(m -> m.getName().equals("compression") && m.getParameterCount() == 1)
                .findFirst();
        if (setting.isEmpty()) {
            return "gzip-1";
        }
        try {
            setting.get().invoke(sink, zstd(setting.get().getParameterTypes()[0]));
            return "zstd";
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new IllegalStateException("the sink's compression setting rejected zstd", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object zstd(Class<?> type) {
        if (type.isEnum()) {
            return Enum.valueOf((Class<Enum>) type, "ZSTD");
        }
        return "zstd";
    }
}
