package org.phicourier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path folder;

    private static Report report() {
        Results results = new Results(new Target("synthetic-100", "s.t", 100, 25_000));
        results.add(Contender.PHI_COURIER, new Run(500, 400, 1, 100 << 20, 50 << 20, "gzip-1",
                60, 150));
        results.add(Contender.SCRIPT, new Run(1000, 1000, 0, 0, 0, "", 0, 0));
        return new Report(List.of(results), List.of(Contender.SCRIPT, Contender.PHI_COURIER),
                Options.parse(new String[0]), "Measured today.");
    }

    @Test
    void writeInto_readmeWithMarkers_replacesOnlyWhatIsBetweenThem() throws Exception {
        Path readme = folder.resolve("README.md");
        Files.writeString(readme, "before\n<!-- results: begin -->\nold\n"
                + "<!-- results: end -->\nafter\n");

        report().writeInto(readme);

        String text = Files.readString(readme);
        assertThat(text).startsWith("before\n<!-- results: begin -->\nMeasured today.")
                .endsWith("<!-- results: end -->\nafter\n").doesNotContain("old")
                .contains("| synthetic-100 | 0.50 |");
    }

    @Test
    void writeInto_readmeWithoutMarkers_failsAndLeavesItAlone() throws Exception {
        Path readme = folder.resolve("README.md");
        Files.writeString(readme, "no markers\n");

        assertThatThrownBy(() -> report().writeInto(readme)).hasMessageContaining("markers");
        assertThat(Files.readString(readme)).isEqualTo("no markers\n");
    }

    @Test
    void markdown_phiCourierTime_isSplitFromJvmStartToExit() {
        assertThat(report().markdown()).contains("| synthetic-100 | 500 | 60 | 150 | 250 | 40 |");
    }

    @Test
    void markdown_phiCourierFigures_showHeapAgainstItsLimit() {
        assertThat(report().markdown()).contains("100 MiB of 256m").contains("50 MiB");
    }
}
