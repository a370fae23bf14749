package org.phicourier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompressionTest {
    /** The shape issue 8 gives the sink's builder: an enum-typed compression setting. */
    public enum Codec { GZIP, ZSTD, NONE }

    /** A builder with the setting. */
    public static final class WithSetting {
        private Codec chosen = Codec.GZIP;

        public WithSetting compression(Codec codec) {
            this.chosen = codec;
            return this;
        }
    }

    /** A builder from before issue 8. */
    public static final class WithoutSetting {
    }

    @Test
    void apply_builderWithEnumSetting_choosesZstd() {
        WithSetting sink = new WithSetting();

        assertThat(Compression.apply(sink, "zstd")).isEqualTo("zstd");
        assertThat(sink.chosen).isEqualTo(Codec.ZSTD);
    }

    @Test
    void apply_builderWithoutSetting_fallsBackToGzipLevelOne() {
        assertThat(Compression.apply(new WithoutSetting(), "zstd")).isEqualTo("gzip-1");
    }

    @Test
    void apply_gzipWanted_leavesTheSinkDefault() {
        WithSetting sink = new WithSetting();

        assertThat(Compression.apply(sink, "gzip")).isEqualTo("gzip-1");
        assertThat(sink.chosen).isEqualTo(Codec.GZIP);
    }
}
