package org.phicourier.deid;

import java.util.EnumSet;
import java.util.Set;

/** Which categories of structured PHI are collected to find the same PHI in free text. */
final class Terms {
    private static final Set<Category> COLLECTED = EnumSet.of(Category.NAME, Category.STREET,
            Category.CITY, Category.COUNTY, Category.ZIP, Category.PHONE, Category.FAX,
            Category.EMAIL, Category.SSN, Category.MRN, Category.HEALTH_PLAN, Category.ACCOUNT,
            Category.LICENSE, Category.OTHER_ID, Category.BIRTH_DATE, Category.VEHICLE,
            Category.DEVICE_ID);

    private Terms() {
    }

    static boolean collects(Category category) {
        return COLLECTED.contains(category);
    }
}
