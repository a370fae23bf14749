package org.phicourier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsTest {
    private static final Target TABLE = new Target("t", "s.t", 1_000_000, 250_000_000);

    private static Run wall(long millis) {
        return new Run(millis, millis, 0, 0, 0, "gzip-1", 0, 0);
    }

    @Test
    void median_oddNumberOfRuns_returnsTheMiddleOne() {
        Results results = new Results(TABLE);
        results.add(Contender.SCRIPT, wall(9000));
        results.add(Contender.SCRIPT, wall(1000));
        results.add(Contender.SCRIPT, wall(4000));

        assertThat(results.median(Contender.SCRIPT)).contains(4000L);
    }

    @Test
    void ratio_fasterFirstContender_isBelowOne() {
        Results results = new Results(TABLE);
        results.add(Contender.PHI_COURIER, wall(2000));
        results.add(Contender.SCRIPT, wall(4000));

        assertThat(results.ratio(Contender.PHI_COURIER, Contender.SCRIPT)).isEqualTo("0.50");
    }

    @Test
    void rowsPerSecond_failedContender_saysFailedEvenWithEarlierRuns() {
        Results results = new Results(TABLE);
        results.add(Contender.CAMEL, wall(1000));
        results.fail(Contender.CAMEL, "out of memory");

        assertThat(results.rowsPerSecond(Contender.CAMEL)).isEqualTo("failed");
        assertThat(results.ratio(Contender.PHI_COURIER, Contender.CAMEL)).isEqualTo("–");
    }

    @Test
    void rowsPerSecond_peerThatDidNotRun_saysSkipped() {
        Results results = new Results(TABLE);

        assertThat(results.rowsPerSecond(Contender.SPRING_BATCH)).isEqualTo("skipped");
        assertThat(results.rowsPerSecond(Contender.SCRIPT)).isEqualTo("–");
    }

    @Test
    void rowsPerSecond_medianWallTime_dividesRowsByIt() {
        Results results = new Results(TABLE);
        results.add(Contender.SCRIPT, wall(4000));

        assertThat(results.rowsPerSecond(Contender.SCRIPT)).isEqualTo("250,000");
    }
}
