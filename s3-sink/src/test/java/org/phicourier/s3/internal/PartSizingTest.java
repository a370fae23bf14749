package org.phicourier.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartSizingTest {
    private static final long MIB = 1024 * 1024;
    private static final long GB = 1_000_000_000L;

    @Test
    void forMaxObject_defaultObjectSize_keepsEightMibParts() {
        assertThat(PartSizing.forMaxObject(64 * MIB)).isEqualTo(8 * MIB);
    }

    @Test
    void forMaxObject_sixtyGigabytes_staysWellUnderThePartLimit() {
        int part = PartSizing.forMaxObject(60 * GB);

        assertThat(PartSizing.partsFor(60 * GB, part)).isLessThanOrEqualTo(2_000);
        assertThat(part % MIB).isZero();
    }

    @Test
    void forMaxObject_anySize_staysWithinS3PartBounds() {
        for (long max = 1; max < 1L << 42; max *= 3) {
            int part = PartSizing.forMaxObject(max);

            assertThat(part).isBetween(PartSizing.MIN_PART, PartSizing.MAX_PART);
        }
    }

    @Test
    void problem_fiveMibPartsForSixtyGigabytes_namesThePartLimit() {
        assertThat(PartSizing.problem(60 * GB, 5 * (int) MIB)).get().asString()
                .contains("11445 parts").contains("10000");
    }

    @Test
    void problem_partsThatFit_none() {
        assertThat(PartSizing.problem(64 * MIB, 5 * (int) MIB)).isEmpty();
    }
}
