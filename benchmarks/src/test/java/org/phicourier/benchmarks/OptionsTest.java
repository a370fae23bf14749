package org.phicourier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void parse_noOptions_givesTheFullRun() {
        Options options = Options.parse(new String[0]);

        assertThat(options.rows()).containsExactly(100_000L, 1_000_000L, 10_000_000L);
        assertThat(options.repeats()).isEqualTo(5);
        assertThat(options.syntheaPatients()).isEqualTo(1000);
        assertThat(options.contenders()).containsExactly(Contender.values());
        assertThat(options.compression()).isEqualTo("zstd");
        assertThat(options.xmx()).isEqualTo("256m");
    }

    @Test
    void parse_smokeOptions_pickSizesContendersAndNoReadme() {
        Options options = Options.parse(new String[] {"--rows", "10000", "--repeats", "1",
            "--contenders", "script,phi-courier", "--readme", "none"});

        assertThat(options.rows()).containsExactly(10_000L);
        assertThat(options.contenders()).containsExactly(Contender.SCRIPT,
                Contender.PHI_COURIER);
        assertThat(options.readme()).isEmpty();
    }

    @Test
    void parse_unknownOption_isRejectedWithTheUsage() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--row", "10"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--row")
                .hasMessageContaining("--synthea-patients");
    }

    @Test
    void parse_transformThreadsNotAPositiveNumber_isRejectedBeforeAnythingRuns() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--transform-threads", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--transform-threads is machine or a whole number of at least 1,"
                        + " not '0'");
    }

    @Test
    void contenders_unknownName_isRejectedNamingTheKnownOnes() {
        Options options = Options.parse(new String[] {"--contenders", "airflow"});

        assertThatThrownBy(options::contenders).hasMessageContaining("airflow")
                .hasMessageContaining("spring-batch");
    }

    @Test
    void peerMaxRows_zero_letsPeersRunEverywhere() {
        Options options = Options.parse(new String[] {"--peer-max-rows", "0"});

        assertThat(options.peerMaxRows()).isEqualTo(Long.MAX_VALUE);
    }
}
